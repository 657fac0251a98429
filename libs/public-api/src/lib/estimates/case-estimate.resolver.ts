import { findAgency, type Language } from '@case-status/case-domain';
import { Inject } from '@nestjs/common';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { caseEstimateWording, QUEUE_PROGRESS_RESOLUTION, type CaseEstimateWording, type CurveSummary, type PublishedStyleFigures as PublishedFigures } from '@case-status/processing-time';
import { READ_MODEL_QUERIES, type CaseEstimateView, type CaseStatusView, type ReadModelQueries } from '@case-status/read-models';
import { partsReadWith } from '../lookup/case-status.resolver';
import { CaseEstimate, SurvivalCurveFigures, PublishedStyleFigures } from './estimate.models';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';
import { CaseStatus } from '../lookup/case-status.models';
import { LanguageEnum } from '../shared/shared.models';

/** The read side's estimate of a case as the schema shows it, with its texts in both languages. */
function caseEstimateOf(view: CaseEstimateView, status: Pick<CaseStatusView, 'agency' | 'formType' | 'office'>): CaseEstimate {
  const inquiry = findAgency(status.agency)?.inquiry ?? null;
  const texts: Record<Language, CaseEstimateWording> = { en: caseEstimateWording(view, 'en', inquiry), es: caseEstimateWording(view, 'es', inquiry) };
  const both = (pick: (wording: CaseEstimateWording) => string) => ({ en: pick(texts.en), es: pick(texts.es) });
  const date = (estimated: CaseEstimateView['likelyBy']) =>
    estimated && { date: estimated.date, probability: estimated.probability, daysFromAsOf: estimated.daysFromAsOf, ageDays: estimated.ageDays, atRisk: estimated.atRisk };
  return {
    asOf: view.asOf.date,
    method: view.method,
    clock: view.timeScale,
    queueProgress: view.queueProgress && {
      queueJoined: view.queueProgress.queueJoined,
      progress: view.queueProgress.progress / QUEUE_PROGRESS_RESOLUTION,
      paceDecisions: view.queueProgress.paceDecisions,
      pacePerWeek: view.queueProgress.pacePerDay * 7,
      paceWeeks: view.queueProgress.paceWeeks,
    },
    cohort: {
      agency: status.agency,
      formType: status.formType,
      office: view.pooled ? null : status.office,
      pooled: view.pooled,
      extended: view.window === 'extended',
      periodDays: view.curve.periodDays,
      explanation: view.pooled || view.window === 'extended' ? both((wording) => wording.cohort ?? '') : null,
    },
    sampleSize: view.sampleSize,
    ageDays: view.ageDays,
    likelyBy: date(view.likelyBy),
    eightyPercentBy: date(view.eightyPercentBy),
    reasons: view.reasons.map((reason, i) => ({
      code: reason.code,
      probability: reason.probability,
      observed: reason.observed,
      threshold: reason.threshold,
      message: both((wording) => wording.reasons[i]),
    })),
    queue: { ...view.queue, explanation: both((wording) => wording.queue) },
    decisionPace: view.decisionPace,
    staleness: view.staleness && { ...view.staleness, since: view.staleness.since.date, explanation: both((wording) => wording.staleness ?? '') },
    longWait: view.longWait && {
      ageDays: view.longWait.ageDays,
      mostDecidedWithinDays: view.longWait.mostDecidedWithinDays,
      queueJoined: view.longWait.queueJoined,
      openAhead: view.longWait.openAhead,
      recentPace: view.longWait.recentPace,
      date: date(view.longWait.date),
      inquiry: inquiry && { url: inquiry.url, howTo: inquiry.howTo },
      explanation: both((wording) => wording.longWait ?? ''),
    },
    publishedStyle: publishedStyleOf(view.publishedStyle),
    curve: curveOf(view.curve),
    summary: both((wording) => wording.summary),
    disclaimer: both((wording) => wording.disclaimer),
  };
}

function publishedStyleOf(figures: PublishedFigures): PublishedStyleFigures {
  const { windowStart, windowEnd, windowDays, decidedCount, medianDays, p80Days, p93Days } = figures;
  return { windowStart: windowStart.date, windowEnd: windowEnd.date, windowDays, decidedCount, medianDays, p80Days, p93Days };
}

export function curveOf(curve: CurveSummary): SurvivalCurveFigures {
  const { method, confidenceLevel, cases, decided, censored, lateEntries, maxObservedDays, median, p80 } = curve;
  return { method, confidenceLevel, cases, decided, censored, lateEntries, maxObservedDays, median, p80 };
}

@Resolver(() => CaseStatus)
export class CaseEstimateResolver {
  /**
   * The schema's form of each estimate the read side handed out. The read side keeps an
   * estimate until its cohort or the case changes and hands out the same object meanwhile,
   * so its wording in both languages is made once, not per lookup; a new estimate is a new key.
   */
  private readonly shown = new WeakMap<CaseEstimateView, CaseEstimate>();

  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
  ) {}

  @ResolveField(() => CaseEstimate, {
    nullable: true,
    complexity: ({ childComplexity }) => 10 + childComplexity,
    description: 'When cases like this one are likely to be decided, or why that cannot be said reliably. Null for a case closed without a decision.',
  })
  async estimate(@Parent() status: CaseStatusView): Promise<CaseEstimate | null> {
    const read = partsReadWith(status)?.estimate;
    const view = read !== undefined ? read : await this.queries.caseEstimate(status.receiptNumber, this.settings.clock());
    if (!view) return null;
    let shown = this.shown.get(view);
    if (!shown) {
      shown = caseEstimateOf(view, status);
      this.shown.set(view, shown);
    }
    return shown;
  }
}

@Resolver(() => CaseEstimate)
export class CaseEstimateTextResolver {
  @ResolveField(() => String, { description: 'summary in one language.' })
  summaryText(@Parent() estimate: CaseEstimate, @Args('language', { type: () => LanguageEnum, defaultValue: 'en' }) language: Language): string {
    return estimate.summary[language];
  }
}
