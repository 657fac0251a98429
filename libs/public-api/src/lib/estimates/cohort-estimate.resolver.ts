import type { Language } from '@case-status/case-domain';
import { Inject } from '@nestjs/common';
import { Args, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { cohortEstimateWording, dayFromIso } from '@case-status/processing-time';
import { READ_MODEL_QUERIES, type CohortEstimateView, type ReadModelQueries } from '@case-status/read-models';
import { curveOf } from './case-estimate.resolver';
import { DecisionPace, ProcessingTimes, SurvivalCurveFigures } from './estimate.models';
import { BilingualText, LanguageEnum } from '../shared/shared.models';

/**
 * The cohort's survival curve beside the published-style figures `processingTimes` answers:
 * same cohort, same window, same day. Read once per `processingTimes` result, whichever of
 * these fields are asked for.
 */
@Resolver(() => ProcessingTimes)
export class CohortEstimateResolver {
  private readonly figures = new WeakMap<ProcessingTimes, Promise<CohortEstimateView>>();

  constructor(@Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries) {}

  private figuresOf(times: ProcessingTimes): Promise<CohortEstimateView> {
    let figures = this.figures.get(times);
    if (!figures) {
      const windowDays = dayFromIso(times.windowEnd) - dayFromIso(times.windowStart) + 1;
      figures = this.queries.cohortEstimate({ agency: times.agency, formType: times.formType, office: times.office }, { asOf: new Date(`${times.windowEnd}T00:00:00Z`), windowDays });
      this.figures.set(times, figures);
    }
    return figures;
  }

  @ResolveField(() => SurvivalCurveFigures, {
    complexity: ({ childComplexity }) => 10 + childComplexity,
    description: 'Every case of the cohort, the ones still waiting included (censored at their age): how long half and 8 in 10 of all cases take.',
  })
  async curve(@Parent() times: ProcessingTimes): Promise<SurvivalCurveFigures> {
    return curveOf((await this.figuresOf(times)).curve);
  }

  @ResolveField(() => DecisionPace, { complexity: ({ childComplexity }) => 10 + childComplexity, description: 'Decisions per week over the last 4 and 26 weeks.' })
  async decisionPace(@Parent() times: ProcessingTimes): Promise<DecisionPace> {
    return (await this.figuresOf(times)).decisionPace;
  }

  @ResolveField(() => BilingualText, { complexity: 10, description: 'The figures and the curve in plain words.' })
  async summary(@Parent() times: ProcessingTimes): Promise<BilingualText> {
    const figures = await this.figuresOf(times);
    return { en: cohortEstimateWording(figures, 'en'), es: cohortEstimateWording(figures, 'es') };
  }

  @ResolveField(() => String, { complexity: 10, description: 'summary in one language.' })
  async summaryText(@Parent() times: ProcessingTimes, @Args('language', { type: () => LanguageEnum, defaultValue: 'en' }) language: Language): Promise<string> {
    return cohortEstimateWording(await this.figuresOf(times), language);
  }
}
