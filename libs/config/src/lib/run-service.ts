import { consoleLogger } from '@case-status/logging';

/** A started service, as `runService` keeps it. */
export interface RunningService {
  /** Stops it and lets go of everything it holds. */
  stop(): Promise<void>;
  /** Settles if the service ends by itself (a failure: the process then exits with 1, for its supervisor to restart it). */
  closed?: Promise<unknown>;
}

/**
 * How every service's `main` runs: starts the service, stops it on SIGINT or SIGTERM (once,
 * however many signals come) and exits 0; exits 1 when starting fails, when stopping fails,
 * or when the service ends by itself. Messages go to the console prefixed with `[name]`.
 */
export function runService(name: string, start: () => Promise<RunningService>): void {
  const log = consoleLogger(name);
  const fail = (what: string, error: unknown): never => {
    log.error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  };
  let stopping = false;
  const stop = (service: RunningService, reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.log(`${reason}: stopping`);
    service.stop().then(
      () => process.exit(code),
      (error: unknown) => fail('did not stop cleanly', error),
    );
  };
  start().then(
    (service) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(service, signal, 0));
      service.closed?.then(
        () => stop(service, 'ended', 1),
        (error: unknown) => {
          log.error(`stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          stop(service, 'failed', 1);
        },
      );
    },
    // A configuration error's message names the variable; that is all an operator needs.
    (error: unknown) => fail('could not start', error),
  );
}
