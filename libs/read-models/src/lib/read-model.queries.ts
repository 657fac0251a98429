import type { Bilingual, DecisionOutcome, PublicStatusCode, PublicStep } from '@case-status/case-domain';
import type { CaseEstimate, CohortEstimate } from '@case-status/processing-time';
import type { EstimateAccuracyMonthView } from './served-estimates.record';

/**
 * What the read side answers. The status API depends on this interface only; the PostgreSQL
 * implementation lives beside it. The platform stores no names or addresses, but not every
 * answer is for anyone: fields marked private (when and where a person is expected, what
 * evidence is due when) are for the case's applicant and the people they allow, and fields
 * marked caseworker-only for the agency's staff; the status API decides who reads which.
 */

export interface OpenEvidenceRequestView {
  requestId: string;
  /** Calendar date, `YYYY-MM-DD`. */
  dueDate: string;
  requestedAt: string;
}

export interface UpcomingAppointmentView {
  kind: 'biometrics' | 'interview';
  scheduledFor: string;
  office: string;
}

export interface CaseStatusView {
  agency: string;
  receiptNumber: string;
  formType: string;
  office: string;
  step: PublicStep;
  statusCode: PublicStatusCode;
  statusText: Bilingual;
  nextStep: Bilingual;
  /** Business time the case was received (ISO 8601). */
  receivedAt: string;
  /** Business time of the latest change of public status (ISO 8601). */
  lastChangedAt: string;
  decision: { outcome: DecisionOutcome; decidedAt: string } | null;
  /** Private. */
  openEvidenceRequests: OpenEvidenceRequestView[];
  /** Private. */
  upcomingAppointments: UpcomingAppointmentView[];
  /** Revision of the last event of the case projected (64-bit, decimal string). */
  revision: string;
}

export interface HistoryEntryView {
  eventId: string;
  eventType: string;
  /** Business time (ISO 8601); the timeline is ordered by it, then by revision. */
  occurredAt: string;
  step: PublicStep;
  title: Bilingual;
}

export interface CohortKey {
  agency: string;
  formType: string;
  office: string;
}

export interface ProcessingTimesView {
  cohort: CohortKey;
  /** The trailing window of decision dates the figures cover (ISO dates, inclusive). */
  windowStart: string;
  windowEnd: string;
  /** Cases decided in the window; the figures below are received-to-decision days. */
  completedCount: number;
  medianDays: number | null;
  p80Days: number | null;
  p93Days: number | null;
  /** Cases of the cohort still pending at `windowEnd`. */
  pendingCount: number;
}

export interface BacklogRowView {
  agency: string;
  formType: string;
  office: string;
  pendingCount: number;
  /** Pending cases by age since receipt, in days. */
  aging: { upTo30: number; upTo90: number; upTo180: number; upTo365: number; over365: number };
  oldestReceivedAt: string | null;
}

/**
 * A case's processing-time estimate (see docs/processing-time.md): its 50 % and 80 % dates
 * given how long it has waited, or the reasons there are none, its queue, its staleness and
 * the cohort figures behind it. Plain data from @case-status/processing-time's `estimateCase`.
 */
export type CaseEstimateView = CaseEstimate;

/** A cohort's survival curve beside its published-style figures (`estimateCohort`). */
export interface CohortEstimateView extends CohortEstimate {
  cohort: CohortKey;
}

/** Which of an agency's cohorts a console view covers. */
export interface AgencyCohortFilter {
  agency: string;
  formType?: string;
  office?: string;
}

/** Cases received and decided in one ISO week (the agency's local dates). */
export interface WeeklyFlowView {
  /** ISO 8601 week, e.g. `2026-W02`. */
  week: string;
  /** Its Monday, `YYYY-MM-DD`. */
  weekStart: string;
  received: number;
  decided: number;
}

/**
 * A pending case that has been at its public status longer than 9 in 10 cases of its cohort
 * stayed there (the estimates' staleness signal), with how unusual that is.
 */
export interface StaleCaseView {
  receiptNumber: string;
  formType: string;
  office: string;
  statusCode: PublicStatusCode;
  /** When the case reached its status (ISO 8601). */
  stepSince: string;
  daysAtStep: number;
  /** How long cases of the cohort usually stayed at this status: median and 90th percentile, and how many were seen. */
  usualMedianDays: number;
  usualP90Days: number;
  sampleSize: number;
  /** `daysAtStep` over the usual (median) stay; the list is ordered by it, most unusual first. */
  timesUsual: number;
}

export interface CaseListFilter {
  agency: string;
  formType?: string;
  office?: string;
  statusCode?: PublicStatusCode;
  /** Only cases still waiting for a decision (true) or only the others (false): the backlog's cases. */
  pending?: boolean;
  receivedFrom?: string;
  receivedTo?: string;
}

export interface CasePage {
  edges: { cursor: string; node: CaseStatusView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** What a public lookup reads together with the case itself. */
export interface CaseLookupParts {
  history?: boolean;
  /** The estimate, as of this instant's UTC date (as `caseEstimate`). */
  estimateAsOf?: Date;
}

/** A case with the parts asked for; a part not asked for is absent. */
export interface CaseLookupView {
  status: CaseStatusView;
  history?: HistoryEntryView[];
  estimate?: CaseEstimateView | null;
}

export interface ReadModelQueries {
  /** Receipt numbers are unique across agencies (their formats differ). Null when unknown. */
  caseStatus(receiptNumber: string): Promise<CaseStatusView | null>;
  /**
   * The case with the parts asked for, read together: the answers of `caseStatus`,
   * `caseHistory` and `caseEstimate`, from one snapshot. What a case page asks costs one
   * read instead of three. Null when unknown.
   */
  caseLookup(receiptNumber: string, parts: CaseLookupParts): Promise<CaseLookupView | null>;
  /** Oldest first; empty for an unknown case. */
  caseHistory(receiptNumber: string): Promise<HistoryEntryView[]>;
  processingTimes(cohort: CohortKey, options: { asOf: Date; windowDays: number }): Promise<ProcessingTimesView>;
  /**
   * The estimate for a case as of `asOf`'s UTC date, from its cohort's counts. Null when no
   * case has the receipt number, or the case was closed without a decision.
   */
  caseEstimate(receiptNumber: string, asOf: Date): Promise<CaseEstimateView | null>;
  /** The cohort's curve and published-style figures, the latter over `windowDays` ending on `asOf`'s UTC date. */
  cohortEstimate(cohort: CohortKey, options: { asOf: Date; windowDays: number }): Promise<CohortEstimateView>;
  /**
   * How often the estimates served for an agency's form came true, per month they were served
   * in, newest first (docs/processing-time.md, section 9). Public: small months carry counts only.
   */
  estimateAccuracy(agency: string, formType: string): Promise<EstimateAccuracyMonthView[]>;
  /** Caseworker-only. One row per (form type, office) of the agency matching the filter. */
  backlog(filter: { agency: string; formType?: string; office?: string }, asOf: Date): Promise<BacklogRowView[]>;
  /**
   * Caseworker-only. Received and decided per ISO week, for the `weeks` weeks up to and
   * including `asOf`'s, oldest first; a week without either is there with zeros.
   */
  weeklyFlow(filter: AgencyCohortFilter, weeks: number, asOf: Date): Promise<WeeklyFlowView[]>;
  /** Caseworker-only. The `first` most unusual stale cases as of `asOf`'s UTC date (`StaleCaseView`). */
  staleCases(filter: AgencyCohortFilter, first: number, asOf: Date): Promise<StaleCaseView[]>;
  /** Caseworker-only. Ordered by receipt time, then receipt number; cursors are opaque. */
  listCases(filter: CaseListFilter, page: { first: number; after?: string }): Promise<CasePage>;
}

export const READ_MODEL_QUERIES = Symbol('READ_MODEL_QUERIES');

/** A case's public status changed; emitted once per projected batch per case, after commit. */
export interface CaseStatusChanged {
  agency: string;
  receiptNumber: string;
  revision: string;
}

export interface CaseStatusChangeFeed {
  /** Calls the listener for every change committed from now on; returns a function that stops listening. */
  listen(listener: (change: CaseStatusChanged) => void): Promise<() => Promise<void>>;
}

export const CASE_STATUS_CHANGE_FEED = Symbol('CASE_STATUS_CHANGE_FEED');
