import { createHash } from 'node:crypto';
import type { FeedbackSubmittedData } from './feedback-event';
import type { FiscalQuarter } from './fiscal-quarter';
import type { FeedbackLanguage, QuestionId, ScaleValue } from './survey';

/** The groups results are reported for. */
export interface GroupKey {
  agency: string;
  service: string;
  quarter: FiscalQuarter;
}

export interface ResponseCountDelta extends GroupKey {
  delta: number;
}

export interface AnswerCountDelta extends GroupKey {
  question: QuestionId;
  value: ScaleValue;
  delta: number;
}

export interface CommentRow extends GroupKey {
  /** Orders a group's comments without revealing when they were given (see commentSortKey). */
  sortKey: string;
  language: FeedbackLanguage;
  text: string;
}

/**
 * A comment's place in its group: a hash of its event id. Comments come out in an order
 * unrelated to when they were given, so their order cannot be matched against the dates
 * cases were decided; and the event id itself is never shown.
 */
export function commentSortKey(eventId: string): string {
  return createHash('sha256').update(eventId.toLowerCase()).digest('hex');
}

/** What one batch of responses adds to the results: counts by group and answer, and comments. */
export class FeedbackDeltas {
  private readonly responseDeltas = new Map<string, ResponseCountDelta>();
  private readonly answerDeltas = new Map<string, AnswerCountDelta>();
  readonly comments: CommentRow[] = [];

  add(eventId: string, response: FeedbackSubmittedData): void {
    const key: GroupKey = { agency: response.agency, service: response.service, quarter: response.quarter };
    const groupId = JSON.stringify([key.agency, key.service, key.quarter]);
    const group = this.responseDeltas.get(groupId) ?? { ...key, delta: 0 };
    group.delta += 1;
    this.responseDeltas.set(groupId, group);
    for (const [question, value] of Object.entries(response.answers) as [QuestionId, ScaleValue][]) {
      const answerId = JSON.stringify([key.agency, key.service, key.quarter, question, value]);
      const answer = this.answerDeltas.get(answerId) ?? { ...key, question, value, delta: 0 };
      answer.delta += 1;
      this.answerDeltas.set(answerId, answer);
    }
    if (response.freeText !== undefined) {
      this.comments.push({ ...key, sortKey: commentSortKey(eventId), language: response.language, text: response.freeText });
    }
  }

  get responses(): ResponseCountDelta[] {
    return [...this.responseDeltas.values()];
  }

  get answers(): AnswerCountDelta[] {
    return [...this.answerDeltas.values()];
  }
}
