import type { Metrics } from '@case-status/http-support';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';

export interface ProjectionsOptions extends Omit<ProjectionRunnerOptions, 'schema' | 'beforeCommit' | 'onBatch'> {
  /** Each projection's position, lag, batch time and events are measured into these; none without it. */
  metrics?: Metrics;
  /** Each projection's schema; default its own. */
  schemaOf?: (projection: Projection) => string;
  /** Per projection, a hook inside every batch transaction before its commit (crash tests pause there). */
  beforeCommitOf?: (projection: Projection) => ProjectionRunnerOptions['beforeCommit'];
}

export interface RunningProjections {
  runners: readonly ProjectionRunner[];
  /** Rejects when a runner fails (it has stopped; the others go on until `stop`); resolves after `stop`. */
  closed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Runs the projections side by side, as the projector and the one-process platform do: each
 * one's tables are brought up to date before this resolves, so readers can query them at once;
 * each then runs in the background with its own checkpoint until `stop`.
 */
export async function startProjections(projections: readonly Projection[], options: ProjectionsOptions): Promise<RunningProjections> {
  const { schemaOf, beforeCommitOf, metrics, ...shared } = options;
  const measured = metrics ? measureProjections(metrics, () => runners) : undefined;
  const runners: ProjectionRunner[] = projections.map(
    (projection) =>
      new ProjectionRunner(projection, { ...shared, schema: schemaOf?.(projection), beforeCommit: beforeCommitOf?.(projection), onBatch: measured?.(projection.name) }),
  );
  for (const runner of runners) await runner.init();
  const running = runners.map((runner) =>
    runner.start().catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      throw new Error(`${runner.projection.name} stopped: ${failure.message}`, { cause: failure });
    }),
  );
  const closed = Promise.all(running).then(() => undefined);
  // Whoever starts them decides what a failure means; until then it is not an unhandled rejection.
  closed.catch(() => undefined);
  return {
    runners,
    closed,
    stop: async () => {
      await Promise.all(runners.map((runner) => runner.stop()));
      await Promise.allSettled(running);
    },
  };
}

/**
 * `projection_position` (the commit part of the last position projected), `projection_lag_seconds`
 * (read when scraped), `projection_batch_duration_seconds` and `projection_events_total`, per
 * projection. Returns each projection's batch hook.
 */
function measureProjections(metrics: Metrics, runners: () => readonly ProjectionRunner[]): (name: string) => ProjectionRunnerOptions['onBatch'] {
  metrics.gauge({
    name: 'projection_position',
    help: 'Global position (commit) of the last event each projection has projected.',
    labelNames: ['projection'],
    collect() {
      for (const runner of runners()) this.set({ projection: runner.projection.name }, Number(runner.lag().position.split(':')[0]));
    },
  });
  metrics.gauge({
    name: 'projection_lag_seconds',
    help: 'How long ago the last event each projection has projected was recorded, while it is not caught up (0 when it is).',
    labelNames: ['projection'],
    collect() {
      for (const runner of runners()) this.set({ projection: runner.projection.name }, runner.lag().lagMs / 1000);
    },
  });
  const batches = metrics.histogram({
    name: 'projection_batch_duration_seconds',
    help: 'Batch transactions each projection committed, with their duration.',
    labelNames: ['projection'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const events = metrics.counter({ name: 'projection_events_total', help: 'Events each projection has projected since start.', labelNames: ['projection'] });
  return (projection) => (batch) => {
    batches.observe({ projection }, batch.durationMs / 1000);
    events.inc({ projection }, batch.events);
  };
}
