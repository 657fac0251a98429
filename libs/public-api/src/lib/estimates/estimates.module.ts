import { Module, type DynamicModule } from '@nestjs/common';
import type { PublicRateLimitOptions } from '../limits/operation-limits';
import { CaseEstimateResolver, CaseEstimateTextResolver } from './case-estimate.resolver';
import { CohortEstimateResolver } from './cohort-estimate.resolver';
import { EstimateAccuracyCsvController, ESTIMATE_ACCURACY_CSV_RATE_LIMIT } from './estimate-accuracy-csv.controller';
import { EstimateAccuracyResolver } from './estimate-accuracy.resolver';
import { ProcessingTimesResolver } from './processing-times.resolver';

/**
 * Processing times: a case's `estimate`, a cohort's `processingTimes` and its survival curve,
 * and how often the served dates came true (`estimateAccuracy`, also as CSV).
 */
@Module({})
export class EstimatesModule {
  static forRoot(settings: { rateLimit: PublicRateLimitOptions | false }): DynamicModule {
    return {
      module: EstimatesModule,
      controllers: [EstimateAccuracyCsvController],
      providers: [
        { provide: ESTIMATE_ACCURACY_CSV_RATE_LIMIT, useValue: settings.rateLimit },
        ProcessingTimesResolver,
        CaseEstimateResolver,
        CaseEstimateTextResolver,
        CohortEstimateResolver,
        EstimateAccuracyResolver,
      ],
    };
  }
}
