import { measureElection, type Metrics } from '@case-status/http-support';
import type { RunningRelay } from './relay.wiring';

/**
 * `relay_lag_seconds` (how long the oldest event read but not yet acknowledged by the publisher
 * has been in the store) and `relay_published_total` (status changes acknowledged), read when scraped;
 * for an elected relay, `leader_active` and `leader_terms_total` (role `relay`).
 */
export function measureRelay(metrics: Metrics, relay: RunningRelay): void {
  if (relay.election) measureElection(metrics, 'relay', relay.election);
  metrics.gauge({
    name: 'relay_lag_seconds',
    help: 'How long the oldest status change read from the event store but not yet acknowledged by the publisher has waited (0 when none waits).',
    collect() {
      this.set((relay.health().lagMs ?? 0) / 1000);
    },
  });
  let counted = 0;
  metrics.counter({
    name: 'relay_published_total',
    help: 'Status changes the publisher (Kafka, acks=all) acknowledged since start, duplicates of a retried batch included.',
    collect() {
      const published = relay.publishedCount;
      if (published > counted) this.inc(published - counted);
      counted = published;
    },
  });
}
