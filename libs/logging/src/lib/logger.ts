import { redactEmailAddresses } from './redact';
import { activeTraceIds } from './tracing';

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

/**
 * How console lines look: `json`, one object per line for a log collector (the default, in
 * production and for every service's `main`), or `pretty`, `[part] message` for a person
 * watching `npm start`.
 */
export type LogFormat = 'json' | 'pretty';

export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];

let format: LogFormat = 'json';

/** Sets the format of every console line this process writes from now on (`runService` does, from `LOG_FORMAT`). */
export function useLogFormat(chosen: LogFormat): void {
  format = chosen;
}

type Level = 'log' | 'warn' | 'error';
const SEVERITY: Record<Level, string> = { log: 'info', warn: 'warn', error: 'error' };

/**
 * Writes to the console: in `json`, `{"time","level","service","message"}` plus `trace_id` and
 * `span_id` while a span is active; in `pretty`, each line prefixed with `[part]`, so one
 * process's parts can be told apart. Email addresses are redacted from every line, whoever
 * wrote the message.
 */
export function consoleLogger(part: string): Logger {
  const write = (level: Level) => (message: string) => {
    const text = redactEmailAddresses(message);
    if (format === 'pretty') return console[level](`[${part}] ${text}`);
    const ids = activeTraceIds();
    const line = { time: new Date().toISOString(), level: SEVERITY[level], service: part, message: text, ...(ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {}) };
    console[level](JSON.stringify(line));
  };
  return { log: write('log'), warn: write('warn'), error: write('error') };
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
