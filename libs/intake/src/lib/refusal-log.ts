import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EVENT_STORE, type EventStore, type JsonObject } from '@case-status/event-store';
import { refusalStreamId, type Problem, type RefusalRecord } from '@case-status/intake-contract';

export interface Refusal {
  submitted: unknown;
  problem: Problem;
}

const MAX_KEPT_SUBMISSION = 8 * 1024;

/**
 * Keeps every refused submission, per agency, in its own stream of the event store
 * (`intake-refusals-<AGENCY>`), so an agency can audit what it sent that was not recorded.
 * These streams are outside the `case-` prefix, so case subscribers never see them.
 */
@Injectable()
export class RefusalLog {
  private readonly logger = new Logger(RefusalLog.name);

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static streamId(agencyCode: string): string {
    return refusalStreamId(agencyCode);
  }

  /** Never fails the request it belongs to: an agency still gets its answer if keeping the record fails. */
  async record(agencyCode: string, submittedBy: string, refusals: Refusal[], now = new Date()): Promise<void> {
    if (refusals.length === 0) return;
    const events = refusals.map(({ submitted, problem }) => ({
      id: randomUUID(),
      type: 'SubmissionRefused',
      data: {
        ...pick(submitted),
        status: problem.status,
        code: problem.code,
        detail: problem.detail,
        ...(problem.errors ? { errors: problem.errors } : {}),
        submitted: truncate(withoutAccessCodeHash(submitted)),
      } as JsonObject,
      metadata: { refusedAt: now.toISOString(), submittedBy },
    }));
    try {
      await this.store.appendToStream(RefusalLog.streamId(agencyCode), events, { expectedRevision: 'any' });
    } catch (error) {
      this.logger.error(`could not keep ${events.length} refusal(s) for ${agencyCode}: ${(error as Error).message}`);
    }
  }

  /** Newest first. `before` is a refusal's sequence number from an earlier page. */
  async list(agencyCode: string, options: { limit: number; before?: bigint }): Promise<{ items: (RefusalRecord & { sequence: string })[]; next?: string }> {
    if (options.before !== undefined && options.before <= 0n) return { items: [] };
    const events = await this.store.readStream(RefusalLog.streamId(agencyCode), {
      direction: 'backwards',
      fromRevision: options.before === undefined ? undefined : options.before - 1n,
      maxCount: options.limit,
    });
    const items = events.map((e) => ({
      sequence: e.revision.toString(),
      refusalId: e.id,
      refusedAt: String(e.metadata['refusedAt']),
      ...(e.data as Omit<RefusalRecord, 'refusalId' | 'refusedAt'>),
    }));
    const last = events[events.length - 1];
    return { items, ...(events.length === options.limit && last.revision > 0n ? { next: last.revision.toString() } : {}) };
  }
}

function pick(submitted: unknown): { eventId?: string; receiptNumber?: string; submittedType?: string } {
  if (!submitted || typeof submitted !== 'object') return {};
  const s = submitted as Record<string, unknown>;
  return {
    ...(typeof s['eventId'] === 'string' ? { eventId: s['eventId'] } : {}),
    ...(typeof s['receiptNumber'] === 'string' ? { receiptNumber: s['receiptNumber'] } : {}),
    ...(typeof s['type'] === 'string' ? { submittedType: s['type'] } : {}),
  };
}

/**
 * An access code's hash is kept nowhere but in the case's own stream, not even in a refused
 * submission: the refusal says what was wrong with it (`errors`), which is enough to fix it.
 */
function withoutAccessCodeHash(submitted: unknown): unknown {
  if (!submitted || typeof submitted !== 'object') return submitted;
  const data = (submitted as Record<string, unknown>)['data'];
  if (!data || typeof data !== 'object' || !Object.hasOwn(data, 'accessCodeHash')) return submitted;
  return { ...submitted, data: { ...data, accessCodeHash: '[not kept]' } };
}

function truncate(submitted: unknown): unknown {
  const json = JSON.stringify(submitted) ?? 'null';
  return json.length <= MAX_KEPT_SUBMISSION ? submitted : { truncated: true, json: json.slice(0, MAX_KEPT_SUBMISSION) };
}
