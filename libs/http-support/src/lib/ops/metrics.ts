import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

/**
 * The Prometheus metrics of one process: its own registry (never prom-client's global one, so
 * several services can share a test process), the process's default metrics, and get-or-create
 * helpers, so parts of the one-process platform that declare the same metric share it.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
    return (this.registry.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter({ ...config, registers: [this.registry] });
  }

  gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
    return (this.registry.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge({ ...config, registers: [this.registry] });
  }

  histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
    return (this.registry.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram({ ...config, registers: [this.registry] });
  }

  /** The text exposition format Prometheus scrapes. */
  get contentType(): string {
    return this.registry.contentType;
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Seconds buckets for request and append durations: 5 ms to 10 s. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Keeps a label drawn from what clients send (a GraphQL operation name) bounded: the first
 * `max` well-formed values are kept, anything else counts as `other`. Names are never
 * personal data, but a client could otherwise create a series per request.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly max = 100) {}

  of(value: string | null | undefined, missing = 'anonymous'): string {
    if (value === null || value === undefined || value === '') return missing;
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(value)) return 'other';
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max) return 'other';
    this.seen.add(value);
    return value;
  }
}

type Elected = { readonly role: 'active' | 'standby'; readonly termsLed: number };
const elections = new WeakMap<Metrics, Map<string, { election: Elected; counted: number }>>();

/**
 * `leader_active{role}`: 1 while this instance is the elected leader for `role` (the projector,
 * the relay), 0 while it stands by; `leader_terms_total{role}`: how many times it became the
 * leader. Read when scraped.
 */
export function measureElection(metrics: Metrics, role: string, election: Elected): void {
  const known = elections.get(metrics);
  if (known) {
    known.set(role, { election, counted: 0 });
    return;
  }
  const roles = new Map([[role, { election, counted: 0 }]]);
  elections.set(metrics, roles);
  metrics.gauge({
    name: 'leader_active',
    help: 'Whether this instance is the elected leader for the role (1) or a standby (0).',
    labelNames: ['role'],
    collect() {
      for (const [name, { election: e }] of roles) this.set({ role: name }, e.role === 'active' ? 1 : 0);
    },
  });
  metrics.counter({
    name: 'leader_terms_total',
    help: 'Times this instance became the elected leader for the role since it started.',
    labelNames: ['role'],
    collect() {
      for (const [name, entry] of roles) {
        // Also when nothing changed, so a standby that never led shows 0.
        this.inc({ role: name }, Math.max(0, entry.election.termsLed - entry.counted));
        entry.counted = entry.election.termsLed;
      }
    },
  });
}
