import { caseStreamId, currentAccessCodeHash, receiptNumberOwner } from '@case-status/case-domain';
import { toCaseEvent, type JsonObject, type RecordedEvent } from '@case-status/event-contract';
import { accessCodeMatches } from '@case-status/intake-contract';
import type { PostgresAccessCodeAttempts } from './access-code-attempts';
import { CASE_LINKED, CASE_UNLINKED, caseLinkedEventId, caseUnlinkedEventId, linkStateOf, personStreamId, type PersonKey } from './person-stream';

/**
 * What the linker needs from the event store; `EventStore` from @case-status/event-store
 * satisfies it as is. Storing an id already stored with other content fails with an error
 * whose `code` is `DUPLICATE_EVENT_ID`.
 */
export interface LinkEventStore {
  readStream(streamId: string): Promise<RecordedEvent[]>;
  appendToStream(streamId: string, events: { id: string; type: string; data: JsonObject; metadata?: JsonObject }[], options: { expectedRevision: 'any' }): Promise<unknown>;
}

export type LinkOutcome =
  | { ok: true; agency: string; receiptNumber: string; /** The case was already linked to this person. */ replayed: boolean }
  /** Wrong code, a case without a code, a replaced code, or no such case: one answer for all. */
  | { ok: false; reason: 'NOT_MATCHED' }
  | { ok: false; reason: 'TOO_MANY_ATTEMPTS'; retryAfterSeconds: number };

/**
 * Links a case to a person who typed its online access code: checks the attempt limits, the
 * code against the hash the case's own stream holds now (so a replaced code no longer
 * links), and records `CaseLinked` in the person's stream.
 */
export class CaseLinker {
  constructor(
    private readonly options: { events: LinkEventStore; attempts: PostgresAccessCodeAttempts; clock?: () => Date },
  ) {}

  /** `receiptNumber` must be well formed (the caller says so otherwise); whether it exists is never told. */
  async link(person: PersonKey, receiptNumber: string, typedCode: string): Promise<LinkOutcome> {
    const agency = receiptNumberOwner(receiptNumber);
    if (!agency) throw new RangeError(`not a receipt number: ${receiptNumber}`);
    const now = (this.options.clock ?? (() => new Date()))();
    const personStream = personStreamId(person);
    const admission = await this.options.attempts.begin(personStream, `${agency.code}-${receiptNumber}`, now);
    if (!admission.admitted) return { ok: false, reason: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: admission.retryAfterSeconds };

    const history = await this.options.events.readStream(caseStreamId(agency.code, receiptNumber));
    if (!(await accessCodeMatches(typedCode, currentAccessCodeHash(history.map(toCaseEvent))))) return { ok: false, reason: 'NOT_MATCHED' };
    await admission.attempt.succeeded();

    const { linked, unlinks } = linkStateOf(await this.options.events.readStream(personStream), agency.code, receiptNumber);
    if (linked) return { ok: true, agency: agency.code, receiptNumber, replayed: true };
    const stored = await this.append(personStream, caseLinkedEventId(personStream, agency.code, receiptNumber, unlinks), CASE_LINKED, agency.code, receiptNumber, now);
    return { ok: true, agency: agency.code, receiptNumber, replayed: !stored };
  }

  /**
   * Takes a linked case off the person's account (`CaseUnlinked`); linking it again needs its
   * access code again. False when the case was not linked to them (then nothing is stored).
   */
  async unlink(person: PersonKey, receiptNumber: string): Promise<boolean> {
    const agency = receiptNumberOwner(receiptNumber);
    if (!agency) throw new RangeError(`not a receipt number: ${receiptNumber}`);
    const now = (this.options.clock ?? (() => new Date()))();
    const personStream = personStreamId(person);
    const { linked, unlinks } = linkStateOf(await this.options.events.readStream(personStream), agency.code, receiptNumber);
    if (!linked) return false;
    await this.append(personStream, caseUnlinkedEventId(personStream, agency.code, receiptNumber, unlinks), CASE_UNLINKED, agency.code, receiptNumber, now);
    return true;
  }

  /** Stores the event once; false when its id was already stored (the same request from another tab, at the same moment). */
  private async append(personStream: string, id: string, type: string, agency: string, receiptNumber: string, now: Date): Promise<boolean> {
    try {
      await this.options.events.appendToStream(personStream, [{ id, type, data: { agency, receiptNumber }, metadata: { occurredAt: now.toISOString(), schemaVersion: 1 } }], { expectedRevision: 'any' });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'DUPLICATE_EVENT_ID') throw error;
      return false;
    }
  }
}
