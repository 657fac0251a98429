import {
  evolve,
  initialState,
  isPublicStep,
  parseCaseStreamId,
  publicStatus,
  type CaseEvent,
  type CaseState,
  type PublicStatus,
} from '@case-status/case-domain';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import type { CaseStatusChange } from './case-status-publisher.port';
import { formatPosition, toCaseEvent, type RecordedEvent } from '@case-status/event-contract';
import type { RelaySource } from './relay-source.port';
import { readTraceContext } from '@case-status/logging';

export interface StatusChangeDetectorOptions {
  /** Case states kept in memory (least recently used dropped first). Default 10 000. */
  maxCachedCases?: number;
}

interface CachedCase {
  revision: bigint;
  state: CaseState;
  status: PublicStatus | undefined;
}

/**
 * Decides which stored events change what the public is told about a case (status code, step,
 * or any text), by folding the case with the domain's `evolve` and comparing `publicStatus`
 * before and after. Events must be offered in stream order per case (global order is); a case
 * not in the cache, or cached at another revision, is rebuilt from its stream up to the
 * event, so the answer never depends on what happens to be cached.
 */
export class StatusChangeDetector {
  private readonly cache = new Map<string, CachedCase>();
  private readonly maxCachedCases: number;

  constructor(
    private readonly source: Pick<RelaySource, 'readStream'>,
    options: StatusChangeDetectorOptions = {},
  ) {
    this.maxCachedCases = options.maxCachedCases ?? 10_000;
    if (!Number.isInteger(this.maxCachedCases) || this.maxCachedCases < 1) {
      throw new RangeError(`maxCachedCases must be a positive integer, got ${String(options.maxCachedCases)}`);
    }
  }

  /** The integration event for `event`, or undefined when the public status stays the same. */
  async changeFor(event: RecordedEvent): Promise<CaseStatusChange | undefined> {
    const before = await this.caseBefore(event);
    const caseEvent = toCaseEvent(event);
    if (!isPublicStep(caseEvent.type)) {
      this.remember(event.streamId, { ...before, revision: event.revision });
      return undefined;
    }
    const state = evolve(before.state, caseEvent);
    const status = publicStatus(state, caseEvent);
    this.remember(event.streamId, { revision: event.revision, state, status });
    if (!status || sameStatus(before.status, status)) return undefined;
    return buildChange(event, state, status);
  }

  get cachedCases(): number {
    return this.cache.size;
  }

  private async caseBefore(event: RecordedEvent): Promise<CachedCase> {
    const cached = this.cache.get(event.streamId);
    if (cached && cached.revision === event.revision - 1n) return cached;
    if (event.revision === 0n) return { revision: -1n, state: initialState(), status: undefined };
    const history = await this.source.readStream(event.streamId, { fromRevision: 0n, maxCount: Number(event.revision) });
    if (history.length !== Number(event.revision) || history[history.length - 1].revision !== event.revision - 1n) {
      throw new Error(`stream ${event.streamId}: expected ${event.revision} events before revision ${event.revision}, read ${history.length}`);
    }
    let state = initialState();
    let last: CaseEvent | undefined;
    for (const recorded of history) {
      const caseEvent = toCaseEvent(recorded);
      state = evolve(state, caseEvent);
      if (isPublicStep(caseEvent.type)) last = caseEvent;
    }
    return { revision: event.revision - 1n, state, status: last ? publicStatus(state, last) : undefined };
  }

  private remember(streamId: string, entry: CachedCase): void {
    // Map keeps insertion order: re-inserting makes this the most recently used.
    this.cache.delete(streamId);
    this.cache.set(streamId, entry);
    if (this.cache.size > this.maxCachedCases) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

function sameStatus(a: PublicStatus | undefined, b: PublicStatus): boolean {
  return (
    a !== undefined &&
    a.code === b.code &&
    a.step === b.step &&
    a.text.en === b.text.en &&
    a.text.es === b.text.es &&
    a.nextStep.en === b.nextStep.en &&
    a.nextStep.es === b.nextStep.es
  );
}

function buildChange(event: RecordedEvent, state: CaseState, status: PublicStatus): CaseStatusChange {
  const fromId = parseCaseStreamId(event.streamId);
  const agency = state.agency ?? fromId?.agency;
  const receiptNumber = state.receiptNumber ?? fromId?.receiptNumber;
  if (!agency || !receiptNumber) throw new Error(`event ${event.id}: stream ${event.streamId} is not a case stream (case-<AGENCY>-<receipt>)`);
  const recordedAt = event.recordedAt.toISOString();
  const occurredAt = validTime(event.metadata['occurredAt']) ?? recordedAt;
  return {
    key: event.streamId,
    attributes: {
      specversion: '1.0',
      type: CASE_STATUS_CHANGED_V1.type,
      source: `/agencies/${agency}`,
      id: event.id,
      subject: receiptNumber,
      time: occurredAt,
      datacontenttype: 'application/json',
      // The append's trace context, stored with the event: the relay's publish span continues it.
      ...readTraceContext(event.metadata['traceparent'], event.metadata['tracestate']),
    },
    data: {
      agency,
      receiptNumber,
      formType: state.formType ?? '',
      office: state.office ?? '',
      eventType: event.type,
      statusCode: status.code,
      step: status.step,
      statusText: status.text,
      nextStep: status.nextStep,
      occurredAt,
      recordedAt,
      streamRevision: event.revision.toString(),
      position: formatPosition(event.position),
    },
  };
}

/** Business time as RFC 3339, which CloudEvents' `time` requires; undefined when unusable. */
function validTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return undefined;
  return new Date(value).toISOString();
}
