import { Module } from '@nestjs/common';
import { CaseEstimateResolver, CaseEstimateTextResolver } from './case-estimate.resolver';
import { CohortEstimateResolver } from './cohort-estimate.resolver';
import { ProcessingTimesResolver } from './processing-times.resolver';

/** Processing times: a case's `estimate`, a cohort's `processingTimes` and its survival curve. */
@Module({ providers: [ProcessingTimesResolver, CaseEstimateResolver, CaseEstimateTextResolver, CohortEstimateResolver] })
export class EstimatesModule {}
