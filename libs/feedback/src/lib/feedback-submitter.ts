import { randomUUID } from 'node:crypto';
import type { Language } from '@case-status/case-domain';
import type { JsonObject, RecordedEvent } from '@case-status/event-contract';
import { validateAnswers, type SubmittedAnswers } from './feedback-answers';
import { FeedbackRefusedError } from './feedback-errors';
import { FEEDBACK_SCHEMA_VERSION, FEEDBACK_SUBMITTED, feedbackStreamId, parseFeedbackSubmitted, toEventData, type FeedbackSubmittedData } from './feedback-event';
import { fiscalQuarterOf, type FiscalQuarter } from './fiscal-quarter';
import { responseEventId } from './response-id';
import { SurveyLinks } from './survey-link';

/**
 * What the submitter needs from the event store; `EventStore` from @case-status/event-store
 * satisfies it as is. Appends are idempotent by event id: storing an id that is already
 * stored as the same append answers the original result, elsewhere it fails with an error
 * whose `code` is `DUPLICATE_EVENT_ID`.
 */
export interface FeedbackEventStore {
  appendToStream(
    streamId: string,
    events: { id: string; type: string; data: JsonObject; metadata?: JsonObject }[],
    options: { expectedRevision: 'any' },
  ): Promise<{ nextExpectedRevision: bigint }>;
  readStream(streamId: string, options?: { fromRevision?: bigint; maxCount?: number }): Promise<RecordedEvent[]>;
}

export interface FeedbackSubmitterOptions {
  events: FeedbackEventStore;
  /**
   * Keys the response id derived from the receipt number. Keep it secret, stable and the same
   * for every instance: with another secret, a case that already answered could answer again.
   */
  secret: string;
  clock?: () => Date;
}

/** What the submitter needs to know about the case; the caller looks it up in the read models. */
export interface DecidedCaseFacts {
  receiptNumber: string;
  agency: string;
  formType: string;
  /** The case has a decision now (a reopened case has none until it is decided again). */
  decided: boolean;
}

export interface FeedbackReceipt {
  quarter: FiscalQuarter;
  /** The same answers had already been recorded for this case; nothing new was stored. */
  replayed: boolean;
}

/**
 * Records survey responses, one per case, as anonymous `FeedbackSubmitted` events. The
 * event id is derived from the receipt number (response-id.ts), so the store's idempotency
 * by id is what enforces "one per case": the same answers again are a replay, different
 * answers are refused.
 */
export class FeedbackSubmitter {
  private readonly clock: () => Date;
  private readonly links: SurveyLinks;

  constructor(private readonly options: FeedbackSubmitterOptions) {
    if (options.secret.length === 0) throw new RangeError('the feedback secret must not be empty');
    this.clock = options.clock ?? (() => new Date());
    this.links = new SurveyLinks({ secret: options.secret, clock: this.clock });
  }

  /** Whether `token` is a survey link for this case from this deployment that has not expired (survey-link.ts). */
  acceptsLink(receiptNumber: string, token: string): boolean {
    return this.links.accepts(receiptNumber, token);
  }

  async submit(facts: DecidedCaseFacts, submitted: SubmittedAnswers, language: Language): Promise<FeedbackReceipt> {
    const validated = validateAnswers(submitted);
    if (!facts.decided) {
      throw new FeedbackRefusedError('CASE_NOT_DECIDED', 'The survey opens once the case has a decision. Come back after you receive it.', 'receiptNumber');
    }
    const id = responseEventId(this.options.secret, facts.receiptNumber);
    const streamId = feedbackStreamId(facts.agency, facts.formType);
    const data = { agency: facts.agency, service: facts.formType, quarter: fiscalQuarterOf(this.clock()), language, ...validated };
    // A fresh nonce per attempt tells this attempt's event apart from one stored earlier.
    const attempt = randomUUID();
    let revision: bigint;
    try {
      const result = await this.options.events.appendToStream(
        streamId,
        [{ id, type: FEEDBACK_SUBMITTED, data: toEventData(data), metadata: { schemaVersion: FEEDBACK_SCHEMA_VERSION, attempt } }],
        { expectedRevision: 'any' },
      );
      revision = result.nextExpectedRevision;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'DUPLICATE_EVENT_ID') throw alreadySubmitted();
      throw error;
    }
    const [stored] = await this.options.events.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!stored || stored.id !== id) throw new Error(`feedback ${id}: the store did not return the response it recorded at ${streamId}@${revision}`);
    const recorded = parseFeedbackSubmitted(stored.data);
    if (!sameContent(recorded, data)) throw alreadySubmitted();
    return { quarter: recorded.quarter, replayed: stored.metadata['attempt'] !== attempt };
  }
}

function alreadySubmitted(): FeedbackRefusedError {
  return new FeedbackRefusedError(
    'FEEDBACK_ALREADY_SUBMITTED',
    'Feedback for this case was already recorded, and each case can answer the survey once. Thank you for taking part.',
    'receiptNumber',
  );
}

/** Same answers, free text and language; the quarter may differ when a retry crosses a quarter's end. */
function sameContent(a: FeedbackSubmittedData, b: FeedbackSubmittedData): boolean {
  const answersOf = (x: FeedbackSubmittedData) => JSON.stringify(Object.entries(x.answers).sort(([p], [q]) => p.localeCompare(q)));
  return a.language === b.language && a.freeText === b.freeText && answersOf(a) === answersOf(b);
}
