import type { Logger } from './logger';

type NestLevel = 'log' | 'warn' | 'error';

/** What Nest's `logger` option takes (its `LoggerService`), without depending on Nest here. */
export interface NestLoggerService {
  log(message: unknown, ...params: unknown[]): void;
  warn(message: unknown, ...params: unknown[]): void;
  error(message: unknown, ...params: unknown[]): void;
  fatal(message: unknown, ...params: unknown[]): void;
  debug(message: unknown, ...params: unknown[]): void;
  verbose(message: unknown, ...params: unknown[]): void;
}

/**
 * Nest's own messages (routes mapped, exceptions) written through `logger`, so an app's lines
 * are all one format (JSON with the trace id, or `[part]` lines) instead of Nest's coloured
 * console. Nest passes its context (e.g. `RoutesResolver`) last, and a stack before it for
 * errors; both are kept. Only `levels` are written; debug and verbose never are.
 */
export function nestLogger(logger: Logger, levels: readonly NestLevel[] = ['log', 'warn', 'error']): NestLoggerService {
  const line = (message: unknown, params: unknown[]): string => {
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    const stack = params.length > 1 && typeof params[0] === 'string' ? `\n${params[0]}` : '';
    const text = message instanceof Error ? (message.stack ?? message.message) : typeof message === 'string' ? message : JSON.stringify(message);
    return `${context ? `${context}: ` : ''}${text}${stack}`;
  };
  const at = (level: NestLevel) => (levels.includes(level) ? (message: unknown, ...params: unknown[]) => logger[level](line(message, params)) : () => undefined);
  return { log: at('log'), warn: at('warn'), error: at('error'), fatal: at('error'), debug: () => undefined, verbose: () => undefined };
}
