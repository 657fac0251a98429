import { consoleLogger, type Tracing } from '@case-status/logging';
import { readTelemetrySettings, startTelemetry } from './telemetry-settings';

/** A started service, as `runService` keeps it. */
export interface RunningService {
  /** Stops it and lets go of everything it holds. */
  stop(): Promise<void>;
  /** Settles if the service ends by itself (a failure: the process then exits with 1, for its supervisor to restart it). */
  closed?: Promise<unknown>;
}

/**
 * How every service's `main` runs: applies the telemetry settings (`LOG_FORMAT`, tracing by
 * the `OTEL_*` variables), starts the service, stops it on SIGINT or SIGTERM (once, however
 * many signals come) and exits 0, after exporting the last spans; exits 1 when starting fails,
 * when stopping fails, or when the service ends by itself. Its own messages name the service.
 */
export function runService(name: string, start: () => Promise<RunningService>): void {
  const log = consoleLogger(name);
  let tracing: Tracing | undefined;
  const exit = (code: number) => {
    const flushed = tracing?.stop().catch(() => undefined) ?? Promise.resolve();
    void flushed.then(() => process.exit(code));
  };
  const fail = (what: string, error: unknown): void => {
    log.error(`${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    exit(1);
  };
  let stopping = false;
  const stop = (service: RunningService, reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.log(`${reason}: stopping`);
    service.stop().then(
      () => exit(code),
      (error: unknown) => fail('did not stop cleanly', error),
    );
  };
  try {
    tracing = startTelemetry(readTelemetrySettings(name));
  } catch (error) {
    fail('could not start', error);
    return;
  }
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
