import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { FeedbackResultsReader } from '@case-status/feedback';
import type { PublicRateLimitOptions } from '../limits/operation-limits';
import { provide } from '../shared/provided-by';
import { FeedbackResultsCsvController } from './feedback-csv.controller';
import { FEEDBACK_CSV_RATE_LIMIT, FEEDBACK_RESULTS, FEEDBACK_SUBMISSIONS, type StatusFeedbackOptions } from './feedback.options';
import { FeedbackCommentsResolver, FeedbackResolver } from './feedback.resolver';

@Injectable()
class FeedbackResultsCloser implements OnApplicationShutdown {
  constructor(@Inject(FEEDBACK_RESULTS) private readonly results: (FeedbackResultsReader & { close?: () => Promise<void> }) | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.results?.close?.();
  }
}

/**
 * The post-decision survey: its resolvers, the CSV route and what they use. Without
 * `options` the fields and the route stay and answer FEEDBACK_UNAVAILABLE (the survey's
 * questions are still served: they need nothing).
 */
@Module({})
export class FeedbackModule {
  static forRoot(options: StatusFeedbackOptions | undefined, settings: { rateLimit: PublicRateLimitOptions | false; closeOnShutdown?: boolean }): DynamicModule {
    return {
      module: FeedbackModule,
      controllers: [FeedbackResultsCsvController],
      providers: [
        options ? provide(FEEDBACK_SUBMISSIONS, options.submitter) : { provide: FEEDBACK_SUBMISSIONS, useValue: null },
        options ? provide(FEEDBACK_RESULTS, options.results) : { provide: FEEDBACK_RESULTS, useValue: null },
        { provide: FEEDBACK_CSV_RATE_LIMIT, useValue: settings.rateLimit },
        FeedbackResolver,
        FeedbackCommentsResolver,
        ...(options && settings.closeOnShutdown ? [FeedbackResultsCloser] : []),
      ],
    };
  }
}
