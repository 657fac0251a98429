import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';

export interface ProjectionsOptions extends Omit<ProjectionRunnerOptions, 'schema' | 'beforeCommit'> {
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
  const { schemaOf, beforeCommitOf, ...shared } = options;
  const runners = projections.map(
    (projection) => new ProjectionRunner(projection, { ...shared, schema: schemaOf?.(projection), beforeCommit: beforeCommitOf?.(projection) }),
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
