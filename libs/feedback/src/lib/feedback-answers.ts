import { FeedbackRefusedError } from './feedback-errors';
import { redactPersonalDetails } from './redact';
import { MAX_FREE_TEXT_LENGTH, QUESTION_IDS, SCALE_VALUES, type QuestionId, type ScaleValue } from './survey';

/** What a person sent: any question may be left out (or null), the free text too. */
export type SubmittedAnswers = Partial<Record<QuestionId, number | null>> & { freeText?: string | null };

/** The answers as stored: only the questions answered, and the free text already redacted. */
export interface FeedbackAnswers {
  answers: Partial<Record<QuestionId, ScaleValue>>;
  freeText?: string;
}

/**
 * Checks a response and brings it to its stored form. At least one rated question is
 * required: a response with none would count towards no question's figures. The free text
 * is trimmed, dropped when empty, and redacted (see redact.ts).
 */
export function validateAnswers(submitted: SubmittedAnswers): FeedbackAnswers {
  const answers: Partial<Record<QuestionId, ScaleValue>> = {};
  for (const id of QUESTION_IDS) {
    const value = submitted[id];
    if (value === undefined || value === null) continue;
    if (!(SCALE_VALUES as readonly number[]).includes(value)) {
      throw new FeedbackRefusedError(
        'INVALID_ANSWER',
        `answers.${id}: ${String(value)} is not on the scale; answer with a whole number from 1 (strongly disagree) to 5 (strongly agree), or leave the question out.`,
        `answers.${id}`,
      );
    }
    answers[id] = value as ScaleValue;
  }
  if (Object.keys(answers).length === 0) {
    throw new FeedbackRefusedError('INVALID_ANSWER', `answers: answer at least one of the questions (${QUESTION_IDS.join(', ')}); any of them may be left out.`, 'answers');
  }
  const text = submitted.freeText?.trim() ?? '';
  if ([...text].length > MAX_FREE_TEXT_LENGTH) {
    throw new FeedbackRefusedError(
      'INVALID_ANSWER',
      `answers.freeText: ${[...text].length} characters is too long; write at most ${MAX_FREE_TEXT_LENGTH}.`,
      'answers.freeText',
    );
  }
  return text === '' ? { answers } : { answers, freeText: redactPersonalDetails(text) };
}
