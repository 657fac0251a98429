/**
 * What a service writes to its log. Adapters take one of these and never reach for `console`,
 * so a test can record or silence them and a composition can prefix them. Nest's `Logger`
 * satisfies it as is. Callers pass no personal data: messages are read by operators.
 */
export interface Logger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Writes to the console, each line prefixed with `[part]` so one process's parts can be told apart. */
export function consoleLogger(part: string): Logger {
  return {
    log: (message) => console.log(`[${part}] ${message}`),
    warn: (message) => console.warn(`[${part}] ${message}`),
    error: (message) => console.error(`[${part}] ${message}`),
  };
}

/** Keeps every line, so a test can check what was logged (and that no personal data was). */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  /** `echo` also writes each line to stderr: a failing test then shows the log. */
  constructor(private readonly echo = false) {}
  log = (message: string) => this.keep('log', message);
  warn = (message: string) => this.keep('warn', message);
  error = (message: string) => this.keep('error', message);
  private keep(level: string, message: string): void {
    this.lines.push(`${level} ${message}`);
    if (this.echo) process.stderr.write(`${level} ${message}\n`);
  }
}
