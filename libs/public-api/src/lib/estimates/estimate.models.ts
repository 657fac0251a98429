import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { NoEstimateReasonCode as ReasonCode } from '@case-status/processing-time';
import { BilingualText, CaseStatusCode } from '../shared/shared.models';

/**
 * The GraphQL types of the processing-time estimates (docs/processing-time.md). Dates are
 * calendar dates `YYYY-MM-DD`, durations whole days. Texts come in English and Spanish and
 * describe what past cases did: none of them is a promise about one case.
 */

const REASON_CODES: readonly ReasonCode[] = ['CASE_DECIDED', 'TOO_FEW_DECIDED', 'MOST_PEERS_PENDING', 'DECISIONS_STOPPED', 'OLDER_THAN_DECIDED_CASES', 'CURVE_DOES_NOT_REACH', 'TOO_FEW_AT_RISK'];
const NoEstimateReasonCode = Object.fromEntries(REASON_CODES.map((code) => [code, code])) as Record<ReasonCode, ReasonCode>;
const EstimateMethod = { CONDITIONAL_KAPLAN_MEIER: 'conditional-kaplan-meier', NONE: 'none' } as const;
const EstimateClock = { CALENDAR: 'calendar', QUEUE: 'queue' } as const;

registerEnumType(NoEstimateReasonCode, { name: 'NoEstimateReasonCode', description: 'Why a date is withheld; stable, explained in docs/processing-time.md.' });
registerEnumType(EstimateMethod, { name: 'EstimateMethod', description: 'How the dates were estimated; NONE when neither date could be given.' });
registerEnumType(EstimateClock, {
  name: 'EstimateClock',
  description: 'What "cases like this one" are compared on: CALENDAR, days waited since receipt; QUEUE, progress through the line the case joined, turned into days at the recent decision pace.',
});

@ObjectType({ description: 'A date by which a share of the cases like this one that had come as far (in days waited or through their line, see `clock`) were decided.' })
export class EstimatedDate {
  @Field({ description: 'YYYY-MM-DD; always after asOf.' }) date!: string;
  @Field(() => Float, { description: 'The share of such cases decided by then: 0.5 or 0.8.' }) probability!: number;
  @Field(() => Int, { description: 'Days from asOf to the date (at least 1).' }) daysFromAsOf!: number;
  @Field(() => Int, { description: 'The case’s age on that date, in days since receipt.' }) ageDays!: number;
  @Field(() => Int, { description: 'Cases still waiting at that age in the data: what the date rests on.' }) atRisk!: number;
}

@ObjectType({ description: 'Why there is no date (or no date at one level), instead of a date that could be wrong.' })
export class NoEstimateReason {
  @Field(() => NoEstimateReasonCode) code!: ReasonCode;
  @Field(() => Float, { nullable: true, description: 'The level this reason withholds (0.5 or 0.8); null when it withholds both dates.' }) probability!: number | null;
  @Field(() => Float, { nullable: true, description: 'The measured value the threshold was held against, where there is one.' }) observed!: number | null;
  @Field(() => Float, { nullable: true }) threshold!: number | null;
  @Field(() => BilingualText, { description: 'The reason in plain words.' }) message!: BilingualText;
}

@ObjectType({ description: 'Decisions of the cohort in a trailing window of whole weeks ending on asOf.' })
export class DecisionRate {
  @Field(() => Int) weeks!: number;
  @Field(() => Int) decided!: number;
  @Field(() => Float) perWeek!: number;
}

@ObjectType({ description: 'The recent weekly decision rate against a longer baseline.' })
export class DecisionPace {
  @Field(() => DecisionRate, { description: 'The last 4 weeks.' }) recent!: DecisionRate;
  @Field(() => DecisionRate, { description: 'The last 26 weeks.' }) baseline!: DecisionRate;
  @Field(() => Float, { nullable: true, description: 'recent.perWeek / baseline.perWeek; null without a decision in the baseline.' }) ratio!: number | null;
}

@ObjectType({ description: 'Where the case stands in its cohort’s queue, and how fast the cohort has been moving.' })
export class QueuePosition {
  @Field(() => Int, { description: 'Cases of the cohort received on an earlier day and still open.' }) openAhead!: number;
  @Field(() => Int, { description: 'Every open case of the cohort.' }) openTotal!: number;
  @Field(() => DecisionRate) last4Weeks!: DecisionRate;
  @Field(() => DecisionRate) last12Weeks!: DecisionRate;
  @Field(() => DecisionRate) last26Weeks!: DecisionRate;
  @Field(() => Float, { nullable: true, description: 'openAhead / last4Weeks.perWeek: a pace indicator, not a date. Null at a standstill.' })
  weeksToClearAheadAtRecentPace!: number | null;
  @Field({ description: 'No decision in the last 4 weeks while cases wait.' }) standstill!: boolean;
  @Field(() => BilingualText) explanation!: BilingualText;
}

@ObjectType({ description: 'Nearest-rank median and 90th percentile of the days cases of the cohort spent at a step.' })
export class UsualGap {
  @Field(() => Int) medianDays!: number;
  @Field(() => Int) p90Days!: number;
  @Field(() => Int, { description: 'How many cases left this step: the gaps the figures rest on.' }) sampleSize!: number;
}

@ObjectType({ description: 'How long the case has been at its current public status, against the usual time there.' })
export class Staleness {
  @Field(() => CaseStatusCode, { description: 'The step: the current public status.' }) step!: string;
  @Field({ description: 'When the case reached it, YYYY-MM-DD.' }) since!: string;
  @Field(() => Int) daysSinceLastStep!: number;
  @Field(() => UsualGap, { nullable: true, description: 'Null when no case of the cohort has left this step yet.' }) usualGap!: UsualGap | null;
  @Field(() => Boolean, { nullable: true, description: 'Longer at this step than 9 in 10 cases were; null with fewer than 20 observed gaps.' }) stale!: boolean | null;
  @Field(() => BilingualText) explanation!: BilingualText;
}

@ObjectType({ description: 'An age (days since receipt) read off the survival curve, with its confidence interval.' })
export class CurveQuantile {
  @Field(() => Float, { description: 'The share of cases decided by `days`: 0.5 or 0.8.' }) probability!: number;
  @Field(() => Int, { nullable: true, description: 'Null when too many cases are still open for the curve to fall that low.' }) days!: number | null;
  @Field(() => Int, { nullable: true }) lower!: number | null;
  @Field(() => Int, { nullable: true }) upper!: number | null;
  @Field(() => Int, { nullable: true, description: 'Cases still waiting at that age: what the figure rests on.' }) atRisk!: number | null;
}

@ObjectType({ description: 'The Kaplan–Meier curve of every case of the cohort: decided cases and, censored at their age, the ones still waiting.' })
export class SurvivalCurveFigures {
  @Field() method!: string;
  @Field(() => Float, { description: 'Of the intervals, 0.95.' }) confidenceLevel!: number;
  @Field(() => Int) cases!: number;
  @Field(() => Int) decided!: number;
  @Field(() => Int, { description: 'Cases still waiting, counted up to their current age.' }) censored!: number;
  @Field(() => Int, { description: 'Cases that came to the office after their receipt (transfers): counted from then.' }) lateEntries!: number;
  @Field(() => Int, { nullable: true }) maxObservedDays!: number | null;
  @Field(() => CurveQuantile) median!: CurveQuantile;
  @Field(() => CurveQuantile) p80!: CurveQuantile;
}

@ObjectType({ description: 'What agencies publish: percentiles of the cases decided in a trailing window, leaving out the ones still waiting.' })
export class PublishedStyleFigures {
  @Field() windowStart!: string;
  @Field() windowEnd!: string;
  @Field(() => Int) windowDays!: number;
  @Field(() => Int) decidedCount!: number;
  @Field(() => Int, { nullable: true }) medianDays!: number | null;
  @Field(() => Int, { nullable: true }) p80Days!: number | null;
  @Field(() => Int, { nullable: true }) p93Days!: number | null;
}

@ObjectType({ description: 'On the queue clock: the line the case joined, how far through it the office has come, and the pace that turns the rest into days.' })
export class QueueProgress {
  @Field(() => Int, { description: 'Cases of the cohort waiting when this one was received, plus itself.' }) queueJoined!: number;
  @Field(() => Float, { description: 'Cohort decisions since its receipt, as a share of queueJoined (1 = as many decisions as the line it joined).' }) progress!: number;
  @Field(() => Int, { description: 'Cohort decisions over the last paceWeeks weeks.' }) paceDecisions!: number;
  @Field(() => Float, { description: 'paceDecisions per week.' }) pacePerWeek!: number;
  @Field(() => Int) paceWeeks!: number;
}

@ObjectType({
  description:
    'The cases an estimate compares this one with: its own office\u2019s cases of its form, or, when that office has decided too few, the same form at every office of the agency (never another form or agency); decided over the last 182 days, or over a longer period when too few were.',
})
export class EstimateCohort {
  @Field() agency!: string;
  @Field() formType!: string;
  @Field(() => String, { nullable: true, description: 'The case\u2019s office when the figures are its own; null when they come from every office of the agency (pooled).' })
  office!: string | null;
  @Field({ description: 'True when the figures come from every office of the agency for this form, because the case\u2019s own office has decided too few cases like it to go on.' })
  pooled!: boolean;
  @Field({
    description:
      'True when the dates come from the cases decided over a longer period than the last 182 days (periodDays), because too few cases like this one were decided recently; false for the recent period.',
  })
  extended!: boolean;
  @Field(() => Int, { nullable: true, description: 'Days, ending on asOf, of the history the curve the dates come from reads: 182, or the longer period when extended; null for the whole history.' })
  periodDays!: number | null;
  @Field(() => BilingualText, { nullable: true, description: 'Where the dates come from, in plain words, when they are pooled or extended; null for the recent cases of the case\u2019s own office.' })
  explanation!: BilingualText | null;
}

@ObjectType({ description: 'Where to ask the agency about a case: its public page, and what to do there or instead.' })
export class AgencyInquiry {
  @Field({ description: 'The agency\u2019s own https page for case inquiries.' }) url!: string;
  @Field(() => BilingualText) howTo!: BilingualText;
}

@ObjectType({
  description: 'For a case that has waited longer than most decided cases like it: its place in its line, how fast the line moves now, a date only where the queue clock gives one, and how to ask the agency.',
})
export class LongWait {
  @Field(() => Int, { description: 'Days the case has waited.' }) ageDays!: number;
  @Field(() => Int, { nullable: true, description: '8 in 10 of the cohort\u2019s cases decided in the last 182 days took at most this many days; null when none was decided.' })
  mostDecidedWithinDays!: number | null;
  @Field(() => Int, { nullable: true, description: 'Its place in the line it joined on its receipt day: the cases waiting then, plus itself. Null on the CALENDAR clock.' })
  queueJoined!: number | null;
  @Field(() => Int, { description: 'Cases of the cohort received on an earlier day and still open.' }) openAhead!: number;
  @Field(() => [DecisionRate], { description: 'Decisions per week over the last 4, 12 and 26 weeks.' }) recentPace!: DecisionRate[];
  @Field(() => EstimatedDate, { nullable: true, description: 'A date the queue clock supports (the 80 % date, else the likely one); null when it gives none. Never a date already past.' })
  date!: EstimatedDate | null;
  @Field(() => AgencyInquiry, { nullable: true, description: 'The agency\u2019s route for asking about the case; null for an agency without one.' }) inquiry!: AgencyInquiry | null;
  @Field(() => BilingualText, { description: 'All of the above in plain words, ending with "your case is taking longer than most; here is what you can do".' })
  explanation!: BilingualText;
}

@ObjectType({ description: 'When a case like this one is likely to be decided, or why that cannot be said reliably. An estimate, not a promise.' })
export class CaseEstimate {
  @Field({ description: 'The day the estimate is for, YYYY-MM-DD.' }) asOf!: string;
  @Field(() => EstimateMethod) method!: string;
  @Field(() => EstimateClock, { description: 'What the case is compared with other cases on (docs/processing-time.md).' }) clock!: string;
  @Field(() => QueueProgress, { nullable: true, description: 'On the QUEUE clock; null on the CALENDAR clock.' }) queueProgress!: QueueProgress | null;
  @Field(() => EstimateCohort, { description: 'Which cases the figures below come from: the case\u2019s office, or the form at every office of the agency.' }) cohort!: EstimateCohort;
  @Field(() => Int, { description: 'Cases of the cohort on the curve the dates come from.' }) sampleSize!: number;
  @Field(() => Int, { description: 'Days the case has waited since receipt.' }) ageDays!: number;
  @Field(() => EstimatedDate, { nullable: true, description: 'Half of the cases like this one that had come as far were decided by then. Null with a reason.' })
  likelyBy!: EstimatedDate | null;
  @Field(() => EstimatedDate, { nullable: true, description: '8 in 10 of them were decided by then. Null with a reason.' }) eightyPercentBy!: EstimatedDate | null;
  @Field(() => [NoEstimateReason], { description: 'Empty when both dates are given.' }) reasons!: NoEstimateReason[];
  @Field(() => QueuePosition) queue!: QueuePosition;
  @Field(() => DecisionPace, { description: 'The recent decision rate per week, against the baseline.' }) decisionPace!: DecisionPace;
  @Field(() => Staleness, { nullable: true, description: 'Null once the case is decided.' }) staleness!: Staleness | null;
  @Field(() => LongWait, { nullable: true, description: 'For a pending case older than most decided cases like it; null otherwise.' }) longWait!: LongWait | null;
  @Field(() => PublishedStyleFigures, { description: 'The cohort’s published-style figures over the last 182 days.' }) publishedStyle!: PublishedStyleFigures;
  @Field(() => SurvivalCurveFigures) curve!: SurvivalCurveFigures;
  @Field(() => BilingualText, { description: 'The dates or the reasons, then the disclaimer: a paragraph ready to show.' }) summary!: BilingualText;
  @Field(() => BilingualText, { description: 'That this is an estimate, not a promise.' }) disclaimer!: BilingualText;
}

@ObjectType({ description: 'Received-to-decision times of the cases of one cohort decided in a trailing window.' })
export class ProcessingTimes {
  @Field() agency!: string;
  @Field() formType!: string;
  @Field() office!: string;
  @Field(() => Int) windowMonths!: number;
  @Field({ description: 'First day of the window of decision dates, YYYY-MM-DD (inclusive).' }) windowStart!: string;
  @Field({ description: 'Last day of the window, YYYY-MM-DD (inclusive).' }) windowEnd!: string;
  @Field(() => Int, { description: 'Cases decided in the window: how many the figures are based on.' }) completedCount!: number;
  @Field(() => Int, { description: 'Cases of the cohort still pending at the end of the window.' }) pendingCount!: number;
  @Field(() => Float, { nullable: true, description: 'Half of the cases were decided within this many days. Null without decided cases.' })
  medianDays!: number | null;
  @Field(() => Float, { nullable: true, description: '80% of the cases were decided within this many days.' }) p80Days!: number | null;
  @Field(() => Float, { nullable: true, description: '93% of the cases were decided within this many days.' }) p93Days!: number | null;
}

@ObjectType({
  description:
    'How one kind of date did for the served estimates of a month. A share or median resting on fewer than 20 cases is null; the counts say how many there were.',
})
export class DateAccuracy {
  @Field(() => Int, { description: '80 % dates that have come (on or before scoredThrough).' }) scored!: number;
  @Field(() => Int, { description: 'Of them, the cases decided on or before their date.' }) cameTrue!: number;
  @Field(() => Float, { nullable: true, description: 'cameTrue / scored; null under 20 scored dates.' }) cameTrueShare!: number | null;
  @Field(() => Int, { description: 'Likely dates whose case has been decided.' }) errors!: number;
  @Field(() => Float, { nullable: true, description: 'Median of |decision − likely date| in days; null under 20.' }) medianErrorDays!: number | null;
}

@ObjectType({
  description:
    'How often the estimates served for one form in one month came true, beside the published-style dates (receipt + the office’s published median and 80th percentile) for the same cases. From a daily sample of each office’s pending cases (docs/processing-time.md, section 9). Public.',
})
export class EstimateAccuracyMonth {
  @Field() agency!: string;
  @Field() formType!: string;
  @Field({ description: 'YYYY-MM: the month the estimates were served in.' }) month!: string;
  @Field({ description: 'YYYY-MM-DD: decisions known through this day are counted.' }) scoredThrough!: string;
  @Field(() => Int, { description: 'Served estimates sampled in the month.' }) served!: number;
  @Field(() => Int, { description: 'Of them, those given no 80 % date.' }) withheld!: number;
  @Field(() => Float, { nullable: true, description: 'withheld / served; null under 20 served.' }) withheldShare!: number | null;
  @Field(() => DateAccuracy, { description: 'The dates the platform served.' }) estimates!: DateAccuracy;
  @Field(() => DateAccuracy, { description: 'The published-style dates for the same cases.' }) publishedStyle!: DateAccuracy;
}
