import { createHash } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  COMMAND_FOR_EVENT,
  INPUT_ERROR_CODES,
  TAXONOMY_VERSION,
  caseStreamId,
  decide,
  evolve,
  initialState,
  type AgencyConfig,
  type CaseCommand,
  type CaseEvent,
  type CaseState,
} from '@case-status/case-domain';
import {
  DuplicateEventIdError,
  EVENT_STORE,
  type AppendResult,
  WrongExpectedRevisionError,
  formatPosition,
  toCaseEvent,
  type EventStore,
  type EventToAppend,
  type GlobalPosition,
  type RecordedEvent,
} from '@case-status/event-store';
import type { RecordedAnswer, Submission } from '@case-status/intake-contract';
import { IntakeProblem } from './intake-problem';
import { checkReceiptNumber } from './receipt-numbers';

/** Records, for one case, a sequence of submitted events in the order given; answers each one's outcome. */
export class RecordCaseEvents extends Command<ItemOutcome[]> {
  constructor(
    readonly agency: AgencyConfig,
    readonly receiptNumber: string,
    readonly submissions: readonly Submission[],
    /** The agency system that submitted them (the token's subject), kept with each event. */
    readonly submittedBy: string,
  ) {
    super();
  }
}

/** `replayed` tells that the event was already recorded by an earlier submission of the same id. */
export type ItemOutcome = { ok: true; answer: RecordedAnswer; replayed: boolean } | { ok: false; problem: IntakeProblem };

/**
 * Attempts when concurrent writers keep moving the case on, before answering 409. Each retry
 * re-reads the case and decides again, so no write is ever based on a stale state; the
 * random pause spreads out writers that collided.
 */
const MAX_ATTEMPTS = 12;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 4 * attempt));

/** Records the events of several cases (one batch), each case's in the order given; answers each case's outcomes, in the order of `cases`. */
export class RecordBatchEvents extends Command<ItemOutcome[][]> {
  constructor(
    readonly agency: AgencyConfig,
    readonly cases: readonly { receiptNumber: string; submissions: readonly Submission[] }[],
    readonly submittedBy: string,
  ) {
    super();
  }
}

@CommandHandler(RecordCaseEvents)
export class RecordCaseEventsHandler implements ICommandHandler<RecordCaseEvents> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ agency, receiptNumber, submissions, submittedBy }: RecordCaseEvents): Promise<ItemOutcome[]> {
    return recordCase(this.store, agency, receiptNumber, submissions, submittedBy);
  }
}

/**
 * A batch's cases are read together (one query), decided, and appended together in one
 * multi-stream append (one transaction for the whole batch instead of one per case). If that
 * append fails for any reason (a case moved on meanwhile, an event id already used elsewhere,
 * a replay of part of the batch), every case is recorded again on its own as
 * `RecordCaseEvents` does, so a refused or conflicting case never holds back another and each
 * gets its own answer.
 */
@CommandHandler(RecordBatchEvents)
export class RecordBatchEventsHandler implements ICommandHandler<RecordBatchEvents> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ agency, cases, submittedBy }: RecordBatchEvents): Promise<ItemOutcome[][]> {
    const checked = cases.map(({ receiptNumber, submissions }) => {
      const problem = checkReceiptNumber(agency, receiptNumber);
      return { receiptNumber, submissions, problem, streamId: problem ? '' : caseStreamId(agency.code, receiptNumber) };
    });
    const streams = await this.store.readStreams(checked.flatMap((c) => (c.problem ? [] : [c.streamId])));
    const planned = checked.map(({ receiptNumber, submissions, problem, streamId }) => {
      if (problem) return { receiptNumber, outcomes: submissions.map((): ItemOutcome => ({ ok: false, problem })) };
      const recorded = streams.get(streamId) ?? [];
      const plan = planAppend(agency, receiptNumber, submissions, recorded, new Map(), submittedBy);
      return { receiptNumber, streamId, base: recorded.length ? recorded[recorded.length - 1].revision : -1n, plan };
    });
    const appending = planned.flatMap((c) => (c.plan && c.plan.toAppend.length > 0 ? [c] : []));
    let results: AppendResult[];
    try {
      results = appending.length === 0 ? [] : await this.store.appendToStreams(
        appending.map(({ streamId, base, plan }) => ({ streamId: streamId as string, events: plan.toAppend, expectedRevision: base === -1n ? 'no_stream' : base })),
      );
    } catch {
      return Promise.all(cases.map(({ receiptNumber, submissions }) => recordCase(this.store, agency, receiptNumber, submissions, submittedBy)));
    }
    const resultOf = new Map(appending.map((c, i) => [c.streamId, results[i]]));
    return planned.map((c) => {
      if (!c.plan) return c.outcomes;
      const streamId = c.streamId as string;
      const result = resultOf.get(streamId);
      const appended = result ? appendedEvents(c.plan.toAppend, c.base, result) : [];
      return c.plan.outcomes.map((o) => resolve(o, streamId, c.receiptNumber, appended));
    });
  }
}

async function recordCase(store: EventStore, agency: AgencyConfig, receiptNumber: string, submissions: readonly Submission[], submittedBy: string): Promise<ItemOutcome[]> {
  const receiptProblem = checkReceiptNumber(agency, receiptNumber);
  if (receiptProblem) return submissions.map(() => ({ ok: false, problem: receiptProblem }));

  const streamId = caseStreamId(agency.code, receiptNumber);
  // Items refused for good (e.g. an id already used by another case) stay refused across attempts.
  const settled = new Map<number, ItemOutcome>();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const recorded = await store.readStream(streamId);
    const plan = planAppend(agency, receiptNumber, submissions, recorded, settled, submittedBy);
    if (plan.toAppend.length === 0) return plan.outcomes.map((o) => resolve(o, streamId, receiptNumber, []));

    const base = recorded.length ? recorded[recorded.length - 1].revision : -1n;
    try {
      const result = await store.appendToStream(streamId, plan.toAppend, {
        expectedRevision: base === -1n ? 'no_stream' : base,
      });
      const appended = appendedEvents(plan.toAppend, base, result);
      return plan.outcomes.map((o) => resolve(o, streamId, receiptNumber, appended));
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        await pause(attempt);
        continue;
      }
      if (error instanceof DuplicateEventIdError) {
        const index = submissions.findIndex((s) => s.eventId === error.eventId);
        if (index === -1) throw error;
        settled.set(index, {
          ok: false,
          problem: new IntakeProblem(409, 'EVENT_ID_REUSED', `event id ${error.eventId} is already used by another case`, [
            { field: '/eventId', reason: 'is already used by another case' },
          ]),
        });
        continue;
      }
      throw error;
    }
  }
  const busy = new IntakeProblem(409, 'CONCURRENT_UPDATE', `case ${receiptNumber} kept changing while these events were recorded; submit them again`);
  return submissions.map((_, i) => settled.get(i) ?? { ok: false, problem: busy });
}

/** The appended events with the revisions and positions the store gave them. */
function appendedEvents(toAppend: EventToAppend[], base: bigint, result: AppendResult): { id: string; revision: bigint; position: GlobalPosition }[] {
  return toAppend.map((e, i) => ({ id: e.id, revision: base + 1n + BigInt(i), position: result.positions[i] }));
}

/** What becomes of one submitted item once the append is done. */
type PlannedOutcome =
  | { kind: 'settled'; outcome: ItemOutcome }
  | { kind: 'existing'; event: RecordedEvent }
  /** `lastId` is the id of the last stored event the submission produced (normally its own id). */
  | { kind: 'appended'; eventId: string; lastId: string };

interface AppendPlan {
  toAppend: EventToAppend[];
  outcomes: PlannedOutcome[];
}

function planAppend(
  agency: AgencyConfig,
  receiptNumber: string,
  submissions: readonly Submission[],
  recorded: RecordedEvent[],
  settled: Map<number, ItemOutcome>,
  submittedBy: string,
): AppendPlan {
  let state: CaseState = recorded.map(toCaseEvent).reduce(evolve, initialState());
  let revision = recorded.length ? recorded[recorded.length - 1].revision : -1n;
  const stored = new Map(recorded.map((e) => [e.id, e]));
  const planned = new Map<string, string>(); // event id -> submission hash, for this plan
  const toAppend: EventToAppend[] = [];

  const outcomes = submissions.map((submission, index): PlannedOutcome => {
    const already = settled.get(index);
    if (already) return { kind: 'settled', outcome: already };
    const hash = submissionHash(submission);

    const existing = stored.get(submission.eventId);
    const plannedHash = planned.get(submission.eventId);
    if (existing || plannedHash) {
      if ((existing ? existing.metadata['submissionHash'] : plannedHash) !== hash) {
        return refuse(409, 'EVENT_ID_REUSED', `event id ${submission.eventId} was already recorded for this case with different content`, '/eventId');
      }
      return existing ? { kind: 'existing', event: existing } : { kind: 'appended', eventId: submission.eventId, lastId: submission.eventId };
    }

    if (submission.expectedRevision !== undefined && submission.expectedRevision !== revision) {
      return refuse(
        409,
        'WRONG_EXPECTED_REVISION',
        `case ${receiptNumber} is at revision ${revision}, not at the expected revision ${submission.expectedRevision}`,
        '/expectedRevision',
      );
    }

    const command = { type: COMMAND_FOR_EVENT[submission.type], data: commandData(submission, receiptNumber), occurredAt: submission.occurredAt, agency } as CaseCommand;
    const decision = decide(command, state);
    if (!decision.ok) {
      const { code, message, field } = decision.error;
      const status = INPUT_ERROR_CODES.has(code) ? 422 : 409;
      const problem = new IntakeProblem(status, status === 422 ? 'VALIDATION_FAILED' : 'TRANSITION_FORBIDDEN', message, [
        { field: field ?? '/type', reason: `${code}: ${message}` },
      ]);
      return { kind: 'settled', outcome: { ok: false, problem } };
    }
    decision.events.forEach((event, n) => {
      toAppend.push(toStoredEvent(event, n === 0 ? submission.eventId : derivedEventId(submission.eventId, n), hash, submittedBy));
      state = evolve(state, event);
      revision += 1n;
    });
    planned.set(submission.eventId, hash);
    return { kind: 'appended', eventId: submission.eventId, lastId: toAppend[toAppend.length - 1].id };
  });
  return { toAppend, outcomes };
}

function refuse(status: number, code: 'EVENT_ID_REUSED' | 'WRONG_EXPECTED_REVISION', detail: string, field: string): PlannedOutcome {
  return { kind: 'settled', outcome: { ok: false, problem: new IntakeProblem(status, code, detail, [{ field, reason: detail }]) } };
}

function resolve(
  planned: PlannedOutcome,
  streamId: string,
  receiptNumber: string,
  appended: { id: string; revision: bigint; position: GlobalPosition }[],
): ItemOutcome {
  if (planned.kind === 'settled') return planned.outcome;
  const event = planned.kind === 'existing' ? planned.event : appended.find((e) => e.id === planned.lastId);
  if (!event) throw new Error(`event ${planned.kind === 'appended' ? planned.lastId : ''} missing from the append`);
  return {
    ok: true,
    replayed: planned.kind === 'existing',
    answer: {
      eventId: planned.kind === 'existing' ? planned.event.id : planned.eventId,
      receiptNumber,
      streamId,
      streamRevision: event.revision.toString(),
      position: formatPosition(event.position),
    },
  };
}

/** The command data is the submitted data, plus the receipt number for a new case. */
function commandData(submission: Submission, receiptNumber: string): CaseCommand['data'] {
  return submission.type === 'CaseReceived' ? { ...submission.data, receiptNumber } : (submission.data as CaseCommand['data']);
}

function toStoredEvent(event: CaseEvent, id: string, submissionHash: string, submittedBy: string): EventToAppend {
  const { type, data, occurredAt } = event;
  return {
    id,
    type,
    data: data as EventToAppend['data'],
    metadata: { occurredAt, schemaVersion: 1, taxonomyVersion: TAXONOMY_VERSION, submissionHash, submittedBy },
  };
}

/** Identifies a submission's content, so a replayed id can be told apart from a reused one. */
function submissionHash(submission: Submission): string {
  const { type, occurredAt, data } = submission;
  return createHash('sha256').update(canonicalJson({ type, occurredAt: new Date(occurredAt).toISOString(), data })).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A stable UUID-shaped id for the n-th extra event a single submission produced. */
function derivedEventId(eventId: string, n: number): string {
  const hex = createHash('sha256').update(`${eventId}/${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
