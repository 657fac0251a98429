import { caseStreamId, type CaseEvent } from '@case-status/case-domain';
import { comparePositions, type GlobalPosition, type RecordedEvent } from '@case-status/event-contract';
import type { ProjectionSource } from '@case-status/projection-runner';

/**
 * Case events in memory, read in append order: what the projector needs of an event store,
 * for tests of the read models on real PostgreSQL that are about the projection, not the store.
 */
export class InMemoryProjectionSource implements ProjectionSource {
  private readonly events: RecordedEvent[] = [];
  private readonly revisions = new Map<string, bigint>();

  append(agency: string, receiptNumber: string, events: readonly CaseEvent[]): void {
    const streamId = caseStreamId(agency, receiptNumber);
    for (const { type, data, occurredAt } of events) {
      const revision = (this.revisions.get(streamId) ?? -1n) + 1n;
      this.revisions.set(streamId, revision);
      const n = BigInt(this.events.length + 1);
      this.events.push({
        id: `${streamId}/${revision}`,
        streamId,
        revision,
        position: { commit: n, prepare: n },
        type,
        data: data as RecordedEvent['data'],
        metadata: { occurredAt },
        recordedAt: new Date(Date.UTC(2026, 0, 1) + this.events.length),
      });
    }
  }

  get size(): number {
    return this.events.length;
  }

  async readAll(options: { after?: GlobalPosition; maxCount?: number; streamPrefixes?: string[] }): Promise<RecordedEvent[]> {
    const after = options.after ?? { commit: 0n, prepare: 0n };
    return this.events
      .filter((event) => comparePositions(event.position, after) > 0 && (options.streamPrefixes ?? ['']).some((prefix) => event.streamId.startsWith(prefix)))
      .slice(0, options.maxCount ?? Number.POSITIVE_INFINITY);
  }
}
