import type { FeedbackSubmittedData } from './feedback-event';
import type { FiscalQuarter } from './fiscal-quarter';
import type { Language } from '@case-status/case-domain';
import type { QuestionId, ScaleValue } from './survey';

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
  language: Language;
  text: string;
  /** Its place in the batch, so identical comments are numbered in the order they were given. */
  ord: number;
}

/** What one batch of responses adds to the results: counts by group and answer, and comments. */
export class FeedbackDeltas {
  private readonly responseDeltas = new Map<string, ResponseCountDelta>();
  private readonly answerDeltas = new Map<string, AnswerCountDelta>();
  readonly comments: CommentRow[] = [];

  add(response: FeedbackSubmittedData): void {
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
      this.comments.push({ ...key, language: response.language, text: response.freeText, ord: this.comments.length });
    }
  }

  get responses(): ResponseCountDelta[] {
    return [...this.responseDeltas.values()];
  }

  get answers(): AnswerCountDelta[] {
    return [...this.answerDeltas.values()];
  }
}
