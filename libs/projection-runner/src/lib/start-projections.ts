import { measureElection, type Metrics } from '@case-status/http-support';
import { LeaderElection, type ComponentHealth, type LeaderElectionOptions, type LedWork } from '@case-status/postgres-support';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';

export interface ProjectionsOptions extends Omit<ProjectionRunnerOptions, 'schema' | 'beforeCommit' | 'onBatch'> {
  /** Each projection's position, lag, batch time and events are measured into these; none without it. */
  metrics?: Metrics;
  /** Each projection's schema; default its own. */
  schemaOf?: (projection: Projection) => string;
  /** Per projection, a hook inside every batch transaction before its commit (crash tests pause there). */
  beforeCommitOf?: (projection: Projection) => ProjectionRunnerOptions['beforeCommit'];
  /**
   * Run in one instance at a time among those started with the same projections and schemas:
   * the one holding the advisory lock `case-status/leader/projector/<schema>,...` (see
   * `LeaderElection`); the others stand by and take over when its session ends. Without it the
   * projections run at once.
   */
  election?: Omit<LeaderElectionOptions, 'pool' | 'key' | 'logger'>;
}

export interface RunningProjections {
  runners: readonly ProjectionRunner[];
  /** Rejects when a runner fails (it has stopped; the others go on until `stop`); resolves after `stop`. */
  closed: Promise<void>;
  stop(): Promise<void>;
  /** A runner's readiness; with an election, a standby's (ready while it reaches the database). */
  health(runner: ProjectionRunner): ComponentHealth;
}

/**
 * Runs the projections side by side, as the projector and the one-process platform do: each
 * one's tables are brought up to date before they run (before this resolves, without an
 * election), so readers can query them at once; each then runs in the background with its own
 * checkpoint until `stop`. With `election`, only in the instance that leads.
 */
export async function startProjections(projections: readonly Projection[], options: ProjectionsOptions): Promise<RunningProjections> {
  const { schemaOf, beforeCommitOf, metrics, election, ...shared } = options;
  const measured = metrics ? measureProjections(metrics, () => runners) : undefined;
  const runners: ProjectionRunner[] = projections.map(
    (projection) =>
      new ProjectionRunner(projection, { ...shared, schema: schemaOf?.(projection), beforeCommit: beforeCommitOf?.(projection), onBatch: measured?.(projection.name) }),
  );
  const run = async (): Promise<LedWork> => {
    // Each time: a new leader reads the checkpoints the previous one left.
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
      closed,
      // Losing the lead stops them the same way: the batch under way commits or rolls back whole,
      // and a batch the new leader also applied fails the checkpoint's compare-and-set.
      stop: async () => {
        await Promise.all(runners.map((runner) => runner.stop()));
        await Promise.allSettled(running);
      },
    };
  };
  if (!election) {
    const work = await run();
    return { runners, closed: work.closed, stop: () => work.stop('stopping'), health: (runner) => runner.health() };
  }
  const elected = new LeaderElection({ ...election, pool: shared.pool, key: projectorLeaderKey(runners), logger: shared.logger }, run);
  if (metrics) measureElection(metrics, 'projector', elected);
  return { runners, closed: elected.closed, stop: () => elected.stop(), health: (runner) => elected.health(() => runner.health()) };
}

/** The projector's lock: one per set of schemas it writes, so projectors of other schemas (tests, other deployments) never wait on each other. */
function projectorLeaderKey(runners: readonly ProjectionRunner[]): string {
  return `case-status/leader/projector/${runners
    .map((runner) => runner.schema)
    .sort()
    .join(',')}`;
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
