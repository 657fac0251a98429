import type { FeedbackResultsReader, FeedbackSubmitter } from '@case-status/feedback';
import type { ProvidedBy } from '../shared/provided-by';

/** What the API calls to check a survey link and record a response; `FeedbackSubmitter` provides it. */
export type FeedbackSubmissions = Pick<FeedbackSubmitter, 'submit' | 'acceptsLink'>;

export interface StatusFeedbackOptions {
  /** Records responses in the event store (`new FeedbackSubmitter({ events: store, secret })`). */
  submitter: ProvidedBy<FeedbackSubmissions>;
  /** Reads the feedback projection (`new PostgresFeedbackResults({ connection, schema })`). */
  results: ProvidedBy<FeedbackResultsReader>;
}

export const FEEDBACK_SUBMISSIONS = Symbol('FEEDBACK_SUBMISSIONS');
export const FEEDBACK_RESULTS = Symbol('FEEDBACK_RESULTS');
export const FEEDBACK_CSV_RATE_LIMIT = Symbol('FEEDBACK_CSV_RATE_LIMIT');
