/** Why a survey response was not recorded; codes are a contract, as the API's error codes are. */
export type FeedbackRefusalCode = 'INVALID_ANSWER' | 'CASE_NOT_DECIDED' | 'FEEDBACK_ALREADY_SUBMITTED';

export class FeedbackRefusedError extends Error {
  constructor(
    readonly code: FeedbackRefusalCode,
    message: string,
    /** The input at fault, e.g. `answers.ease`; absent when it is not one input. */
    readonly argument?: string,
  ) {
    super(message);
    this.name = 'FeedbackRefusedError';
  }
}
