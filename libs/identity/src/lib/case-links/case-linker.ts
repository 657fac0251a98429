import { randomUUID } from 'node:crypto';
import { caseStreamId, currentAccessCode, receiptNumberOwner } from '@case-status/case-domain';
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
  appendToStream(streamId: string, events: { id: string; type: string; data: JsonObject; metadata?: JsonObject }[], options: { expectedRevision: 'any' | 'no_stream' }): Promise<unknown>;
}

/** The stream that records who used a case's access code: one per code, so a code links one account. */
const ACCESS_CODE_STREAM_PREFIX = 'access-code-';
const ACCESS_CODE_REDEEMED = 'AccessCodeRedeemed';

export type LinkOutcome =
  | { ok: true; agency: string; receiptNumber: string; /** The case was already linked to this person. */ replayed: boolean }
  /** Wrong code, a case without a code, a replaced code, or no such case: one answer for all. */
  | { ok: false; reason: 'NOT_MATCHED' }
  /** The right code, already used to link the case to another account: a code links one account. */
  | { ok: false; reason: 'CODE_ALREADY_USED' }
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
    const code = currentAccessCode(history.map(toCaseEvent));
    if (!(await accessCodeMatches(typedCode, code?.hash ?? null)) || !code) return { ok: false, reason: 'NOT_MATCHED' };
    await admission.attempt.succeeded();

    const { linked, unlinks } = linkStateOf(await this.options.events.readStream(personStream), agency.code, receiptNumber);
    if (linked) return { ok: true, agency: agency.code, receiptNumber, replayed: true };
    if (!(await this.redeem(agency.code, receiptNumber, history[code.index].revision, personStream, now))) return { ok: false, reason: 'CODE_ALREADY_USED' };
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

  /**
   * Claims the case's code in force for this person: the first to link with it owns it, and
   * the same person may use it again (to link again after unlinking); for anyone else it is
   * spent until the agency issues a new code. The event store's `no_stream` check decides
   * between two people linking at the same moment.
   */
  private async redeem(agency: string, receiptNumber: string, codeRevision: bigint, personStream: string, now: Date): Promise<boolean> {
    const streamId = `${ACCESS_CODE_STREAM_PREFIX}${agency}-${receiptNumber}-${codeRevision}`;
    try {
      await this.options.events.appendToStream(
        streamId,
        [{ id: randomUUID(), type: ACCESS_CODE_REDEEMED, data: { agency, receiptNumber, codeRevision: codeRevision.toString(), personStream }, metadata: { occurredAt: now.toISOString(), schemaVersion: 1 } }],
        { expectedRevision: 'no_stream' },
      );
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'WRONG_EXPECTED_REVISION') throw error;
      const [claim] = await this.options.events.readStream(streamId);
      return claim?.data['personStream'] === personStream;
    }
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

