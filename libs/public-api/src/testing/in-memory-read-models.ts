import { dayFromIso, type CaseObservation } from '@case-status/processing-time';
import { caseDays, decodeCursor, encodeCursor, servedCaseEstimate, servedCohortEstimate } from '@case-status/read-models';
import type {
  BacklogRowView,
  CaseCursor,
  CaseEstimateView,
  CaseListFilter,
  CaseLookupParts,
  CaseLookupView,
  CasePage,
  CaseStatusChangeFeed,
  CaseStatusChanged,
  CaseStatusView,
  CohortEstimateView,
  CohortKey,
  HistoryEntryView,
  ProcessingTimesView,
  ReadModelQueries,
  EstimateAccuracyMonthView,
  StaleCaseView,
  WeeklyFlowView,
} from '@case-status/read-models';

const DAY = 86_400_000;

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const isoDate = (millis: number) => new Date(millis).toISOString().slice(0, 10);

/**
 * The read-side queries over cases held in memory, for tests of code that depends on
 * `ReadModelQueries`. Same answers and orderings as the interface documents; figures use
 * nearest-rank percentiles of whole received-to-decision days.
 */
export class InMemoryReadModels implements ReadModelQueries {
  private readonly cases = new Map<string, CaseStatusView>();
  private readonly histories = new Map<string, HistoryEntryView[]>();
  /** Calls of `caseStatus`, `caseLookup`, `caseHistory` and `caseEstimate`, so tests can see what a component read. */
  caseStatusReads = 0;
  caseLookups = 0;
  caseHistoryReads = 0;
  caseEstimateReads = 0;

  /** Adds or replaces a case (and, when given, its history). */
  put(view: CaseStatusView, history?: HistoryEntryView[]): void {
    this.cases.set(view.receiptNumber, view);
    if (history) this.histories.set(view.receiptNumber, history);
  }

  /** What `estimateAccuracy` answers, by `agency|formType`. */
  readonly accuracy = new Map<string, EstimateAccuracyMonthView[]>();

  async estimateAccuracy(agency: string, formType: string): Promise<EstimateAccuracyMonthView[]> {
    return this.accuracy.get(`${agency}|${formType}`) ?? [];
  }

  async caseStatus(receiptNumber: string): Promise<CaseStatusView | null> {
    this.caseStatusReads += 1;
    return this.cases.get(receiptNumber) ?? null;
  }

  async caseLookup(receiptNumber: string, parts: CaseLookupParts): Promise<CaseLookupView | null> {
    this.caseLookups += 1;
    const status = this.cases.get(receiptNumber);
    if (!status) return null;
    return {
      status,
      ...(parts.history && { history: this.historyOf(receiptNumber) }),
      ...(parts.estimateAsOf && { estimate: this.estimateOf(status, parts.estimateAsOf) }),
    };
  }

  async caseHistory(receiptNumber: string): Promise<HistoryEntryView[]> {
    this.caseHistoryReads += 1;
    return this.historyOf(receiptNumber);
  }

  private historyOf(receiptNumber: string): HistoryEntryView[] {
    return [...(this.histories.get(receiptNumber) ?? [])].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  }

  async processingTimes(cohort: CohortKey, options: { asOf: Date; windowDays: number }): Promise<ProcessingTimesView> {
    const end = Date.UTC(options.asOf.getUTCFullYear(), options.asOf.getUTCMonth(), options.asOf.getUTCDate());
    const start = end - (options.windowDays - 1) * DAY;
    const inCohort = [...this.cases.values()].filter((c) => c.agency === cohort.agency && c.formType === cohort.formType && c.office === cohort.office);
    const days = inCohort
      .filter((c) => c.decision !== null)
      .filter((c) => {
        const decided = Date.parse(c.decision?.decidedAt ?? '');
        return decided >= start && decided < end + DAY;
      })
      .map((c) => Math.floor((Date.parse(c.decision?.decidedAt ?? '') - Date.parse(c.receivedAt)) / DAY))
      .sort((a, b) => a - b);
    return {
      cohort,
      windowStart: isoDate(start),
      windowEnd: isoDate(end),
      completedCount: days.length,
      medianDays: percentile(days, 50),
      p80Days: percentile(days, 80),
      p93Days: percentile(days, 93),
      pendingCount: inCohort.filter((c) => c.decision === null && Date.parse(c.receivedAt) < end + DAY).length,
    };
  }

  /**
   * The served estimate over the cases held, one observation per case (no transfers: every
   * case is observed from its receipt) and no step gaps; the step is reached at `lastChangedAt`.
   * The pool is the cases of every office of the case's agency and form, when there are two or more.
   */
  async caseEstimate(receiptNumber: string, asOf: Date): Promise<CaseEstimateView | null> {
    this.caseEstimateReads += 1;
    const view = this.cases.get(receiptNumber);
    return view ? this.estimateOf(view, asOf) : null;
  }

  private estimateOf(view: CaseStatusView, asOf: Date): CaseEstimateView | null {
    const target = {
      receivedAt: view.receivedAt,
      decidedAt: view.decision?.decidedAt ?? null,
      pending: isPending(view),
      statusCode: view.statusCode,
      stepSince: view.lastChangedAt,
    };
    const offices = new Set([...this.cases.values()].filter((c) => c.agency === view.agency && c.formType === view.formType).map((c) => c.office));
    const pool = offices.size > 1 ? { observations: [...offices].flatMap((office) => this.observations({ ...view, office })) } : undefined;
    return servedCaseEstimate(target, { observations: this.observations(view) }, [], dayFromIso(isoDate(asOf.getTime())), pool);
  }

  async cohortEstimate(cohort: CohortKey, options: { asOf: Date; windowDays: number }): Promise<CohortEstimateView> {
    const figures = servedCohortEstimate(this.observations(cohort), dayFromIso(isoDate(options.asOf.getTime())), options.windowDays);
    return { cohort: { agency: cohort.agency, formType: cohort.formType, office: cohort.office }, ...figures };
  }

  private observations(cohort: CohortKey): CaseObservation[] {
    return [...this.cases.values()]
      .filter((c) => c.agency === cohort.agency && c.formType === cohort.formType && c.office === cohort.office && (c.decision !== null || isPending(c)))
      .map((c) => caseDays({ receivedAt: c.receivedAt, decidedAt: c.decision?.decidedAt ?? null }));
  }

  async backlog(filter: { agency: string; formType?: string; office?: string }, asOf: Date): Promise<BacklogRowView[]> {
    const rows = new Map<string, BacklogRowView>();
    for (const c of this.cases.values()) {
      if (c.agency !== filter.agency || c.decision !== null) continue;
      if ((filter.formType && c.formType !== filter.formType) || (filter.office && c.office !== filter.office)) continue;
      const key = `${c.formType}|${c.office}`;
      const row = rows.get(key) ?? {
        agency: c.agency,
        formType: c.formType,
        office: c.office,
        pendingCount: 0,
        aging: { upTo30: 0, upTo90: 0, upTo180: 0, upTo365: 0, over365: 0 },
        oldestReceivedAt: null,
      };
      const age = (asOf.getTime() - Date.parse(c.receivedAt)) / DAY;
      const bucket = age <= 30 ? 'upTo30' : age <= 90 ? 'upTo90' : age <= 180 ? 'upTo180' : age <= 365 ? 'upTo365' : 'over365';
      row.pendingCount += 1;
      row.aging[bucket] += 1;
      if (row.oldestReceivedAt === null || c.receivedAt < row.oldestReceivedAt) row.oldestReceivedAt = c.receivedAt;
      rows.set(key, row);
    }
    return [...rows.values()].sort((a, b) => a.formType.localeCompare(b.formType) || a.office.localeCompare(b.office));
  }

  async weeklyFlow(filter: { agency: string; formType?: string; office?: string }, weeks: number, asOf: Date): Promise<WeeklyFlowView[]> {
    const mondayOf = (millis: number) => millis - (((new Date(millis).getUTCDay() + 6) % 7) * DAY);
    const last = mondayOf(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate()));
    const rows = Array.from({ length: weeks }, (_, i) => ({ monday: last - (weeks - 1 - i) * 7 * DAY, received: 0, decided: 0 }));
    const rowOf = (iso: string) => rows.find((row) => row.monday === mondayOf(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`)));
    for (const c of this.cases.values()) {
      if (c.agency !== filter.agency || (filter.formType && c.formType !== filter.formType) || (filter.office && c.office !== filter.office)) continue;
      const received = rowOf(c.receivedAt);
      if (received) received.received += 1;
      const decided = c.decision && rowOf(c.decision.decidedAt);
      if (decided) decided.decided += 1;
    }
    return rows.map(({ monday, received, decided }) => ({ week: isoWeek(monday), weekStart: isoDate(monday), received, decided }));
  }

  /** Cases here have no step history, so none is known to be stale. */
  async staleCases(): Promise<StaleCaseView[]> {
    return [];
  }

  async listCases(filter: CaseListFilter, page: { first: number; after?: string }): Promise<CasePage> {
    const after = page.after === undefined ? undefined : decodeCursor(page.after);
    const matching = [...this.cases.values()]
      .filter(
        (c) =>
          c.agency === filter.agency &&
          (!filter.formType || c.formType === filter.formType) &&
          (!filter.office || c.office === filter.office) &&
          (!filter.statusCode || c.statusCode === filter.statusCode) &&
          (filter.pending === undefined || isPending(c) === filter.pending) &&
          (!filter.receivedFrom || Date.parse(c.receivedAt) >= Date.parse(filter.receivedFrom)) &&
          (!filter.receivedTo || Date.parse(c.receivedAt) < Date.parse(filter.receivedTo)),
      )
      .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt) || a.receiptNumber.localeCompare(b.receiptNumber))
      .filter((c) => !after || isAfter(cursorOf(c), after));
    const edges = matching.slice(0, page.first).map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
    return { edges, pageInfo: { hasNextPage: matching.length > page.first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}

/** The ISO 8601 week of a Monday (UTC midnight), e.g. `2026-W02`: the week of its Thursday. */
function isoWeek(monday: number): string {
  const thursday = new Date(monday + 3 * DAY);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Closed without a decision: neither pending nor in the cohort's figures. */
function isPending(view: CaseStatusView): boolean {
  return view.decision === null && view.statusCode !== 'CASE_CLOSED';
}

/** A case's place in `listCases`' order, as the read models' cursors carry it. */
function cursorOf(view: CaseStatusView): CaseCursor {
  return { receivedAtMicros: BigInt(Date.parse(view.receivedAt)) * 1000n, receiptNumber: view.receiptNumber };
}

function isAfter(a: CaseCursor, b: CaseCursor): boolean {
  return a.receivedAtMicros > b.receivedAtMicros || (a.receivedAtMicros === b.receivedAtMicros && a.receiptNumber > b.receiptNumber);
}

/** A change feed the test drives: `emit` reaches every listener, as a committed change would. */
export class InMemoryCaseStatusChangeFeed implements CaseStatusChangeFeed {
  private readonly listeners = new Set<(change: CaseStatusChanged) => void>();

  get listenerCount(): number {
    return this.listeners.size;
  }

  async listen(listener: (change: CaseStatusChanged) => void): Promise<() => Promise<void>> {
    const own = (change: CaseStatusChanged) => listener(change);
    this.listeners.add(own);
    return async () => {
      this.listeners.delete(own);
    };
  }

  emit(change: CaseStatusChanged): void {
    for (const listener of this.listeners) listener(change);
  }
}

/** A plausible public case view; override what the test is about. */
export function caseView(overrides: Partial<CaseStatusView> & Pick<CaseStatusView, 'receiptNumber'>): CaseStatusView {
  return {
    agency: 'USCIS',
    formType: 'I-130',
    office: 'NBC',
    step: 'received',
    statusCode: 'CASE_RECEIVED',
    statusText: { en: 'We received your case.', es: 'Recibimos su caso.' },
    nextStep: { en: 'We will review it.', es: 'Lo revisaremos.' },
    receivedAt: '2026-01-05T10:00:00Z',
    lastChangedAt: '2026-01-05T10:00:00Z',
    decision: null,
    openEvidenceRequests: [],
    upcomingAppointments: [],
    revision: '0',
    ...overrides,
  };
}
