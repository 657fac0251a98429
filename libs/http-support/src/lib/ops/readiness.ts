import { isTransientConnectionError, type ComponentHealth } from '@case-status/postgres-support';

/** One check's state in a readiness answer (the shape `@nestjs/terminus` answers). */
export interface CheckState {
  status: 'up' | 'down';
  /** Why it is down, in plain words for operators. */
  detail?: string;
  /** How far behind the event store the part is, and how far it may be while ready. */
  lagMs?: number;
  maxLagMs?: number;
  [key: string]: unknown;
}

/** One thing readiness depends on: the database, the broker, a projection, the relay. */
export interface ReadinessCheck {
  /** The key in the answer, e.g. `database`, `broker`, `projection:case-read-models`. */
  name: string;
  check(): CheckState | Promise<CheckState>;
}

/** The body of `/health/ready` (the shape `@nestjs/terminus` answers). */
export interface HealthAnswer {
  status: 'ok' | 'error';
  info: Record<string, CheckState>;
  error: Record<string, CheckState>;
  details: Record<string, CheckState>;
}

/** A check that takes longer than this counts as down. */
const CHECK_TIMEOUT_MS = 2_000;

/** Runs every check at once; `ok` when each is up. A check that throws or hangs is down. */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = CHECK_TIMEOUT_MS): Promise<HealthAnswer> {
  const states = await Promise.all(checks.map((check) => runCheck(check, timeoutMs)));
  const answer: HealthAnswer = { status: 'ok', info: {}, error: {}, details: {} };
  checks.forEach((check, index) => {
    const state = states[index];
    answer.details[check.name] = state;
    if (state.status === 'up') answer.info[check.name] = state;
    else {
      answer.error[check.name] = state;
      answer.status = 'error';
    }
  });
  return answer;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckState>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => check.check()), timeout]);
  } catch (error) {
    return { status: 'down', detail: describeFailure(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A part that reports `ComponentHealth` (projection runner, relay, notifier, change feed) as a
 * check; with `maxLagMs`, a part further behind than that is down too.
 */
export function componentCheck(name: string, health: () => ComponentHealth, options: { maxLagMs?: number } = {}): ReadinessCheck {
  return {
    name,
    check: () => {
      const { ready, database, detail, lagMs, role } = health();
      const lag = { ...(role && { role }), ...(lagMs !== undefined && { lagMs, ...(options.maxLagMs !== undefined && { maxLagMs: options.maxLagMs }) }) };
      if (!ready) return { status: 'down', database, detail: detail ?? 'not ready', ...lag };
      if (lagMs !== undefined && options.maxLagMs !== undefined && lagMs > options.maxLagMs) {
        return { status: 'down', database, detail: `${lagMs} ms behind the event store (at most ${options.maxLagMs} ms while ready)`, ...lag };
      }
      return { status: 'up', database, ...lag };
    },
  };
}

/** A check that is up when `probe` resolves (a cheap query the service really makes). */
export function probeCheck(name: string, probe: () => Promise<unknown>): ReadinessCheck {
  return {
    name,
    check: async () => {
      await probe();
      return { status: 'up' };
    },
  };
}

/**
 * A driver's message may name a host or a user; the kind of failure is enough here. Duck-typed:
 * socket errors may come from another realm.
 */
function describeFailure(error: unknown): string {
  const { name, code } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; code?: unknown };
  const kind = [typeof name === 'string' ? name : 'Error', typeof code === 'string' ? code : ''].filter(Boolean).join(' ');
  return isTransientConnectionError(error) ? `cannot connect (${kind})` : `failed (${kind})`;
}
