/**
 * What the notifier writes to its log. Implementations must not add personal data; callers
 * never pass email addresses (SMTP errors go through redactEmailAddresses first).
 */
export interface NotifierLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: NotifierLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
