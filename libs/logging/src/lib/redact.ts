/**
 * A run of characters that can belong to an address. A single repeated class and nothing
 * after it: each match ends where the run ends, so the regular expression never backtracks
 * and a scan is linear in the text's length, whatever the text (error messages quote
 * client input).
 */
export const ADDRESS_RUN = /[^\s<>"'(),;:]+/g;

/**
 * Replaces anything that looks like an email address (a run with an "@" that has something
 * on both sides), so an SMTP error or a message quoting client input can be logged and
 * answered. The same runs as `/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g` would replace, without its
 * backtracking, which took seconds on a long run without an "@".
 */
export function redactEmailAddresses(text: string): string {
  return text.replace(ADDRESS_RUN, (run) => {
    const at = run.indexOf('@', 1);
    return at !== -1 && at < run.length - 1 ? '[address]' : run;
  });
}
