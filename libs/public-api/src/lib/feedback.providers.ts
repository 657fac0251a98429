import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { FeedbackResultsReader } from '@case-status/feedback';
import { FeedbackResultsCsvController } from './feedback-csv.controller';
import { FEEDBACK_CSV_RATE_LIMIT, FEEDBACK_RESULTS, FEEDBACK_SUBMISSIONS, type StatusFeedbackOptions } from './feedback.options';
import { FeedbackCommentsResolver, FeedbackResolver } from './feedback.resolver';
import { OperationLimits, type PublicRateLimitOptions } from './operation-limits';
import type { ProvidedBy } from './public-api.options';

@Injectable()
class FeedbackResultsCloser implements OnApplicationShutdown {
  constructor(@Inject(FEEDBACK_RESULTS) private readonly results: (FeedbackResultsReader & { close?: () => Promise<void> }) | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.results?.close?.();
  }
}

/**
 * The survey's part of the status API: its resolvers, the CSV route and what they use.
 * Without `options` the fields and the route stay and answer FEEDBACK_UNAVAILABLE (the
 * survey's questions are still served: they need nothing).
 */
export function feedbackModuleParts(
  options: StatusFeedbackOptions | undefined,
  settings: { provide: (token: symbol, source: ProvidedBy<object>) => Provider; rateLimit: PublicRateLimitOptions | false; limits: OperationLimits; closeOnShutdown?: boolean },
): { providers: Provider[]; controllers: (typeof FeedbackResultsCsvController)[] } {
  return {
    providers: [
      options ? settings.provide(FEEDBACK_SUBMISSIONS, options.submitter) : { provide: FEEDBACK_SUBMISSIONS, useValue: null },
      options ? settings.provide(FEEDBACK_RESULTS, options.results) : { provide: FEEDBACK_RESULTS, useValue: null },
      { provide: FEEDBACK_CSV_RATE_LIMIT, useValue: settings.rateLimit },
      { provide: OperationLimits, useValue: settings.limits },
      FeedbackResolver,
      FeedbackCommentsResolver,
      ...(options && settings.closeOnShutdown ? [FeedbackResultsCloser] : []),
    ],
    controllers: [FeedbackResultsCsvController],
  };
}
