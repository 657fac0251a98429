import { validateAnswers } from './feedback-answers';
import { FeedbackRefusedError } from './feedback-errors';
import { REDACTED } from './redact';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof FeedbackRefusedError) return { code: error.code, argument: error.argument };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('validateAnswers', () => {
  it('keeps the questions answered and leaves out the ones skipped or null', () => {
    expect(validateAnswers({ satisfaction: 5, trust: null, ease: 1 })).toEqual({ answers: { satisfaction: 5, ease: 1 } });
  });

  it('accepts every point of the scale', () => {
    expect(validateAnswers({ satisfaction: 1, trust: 2, effectiveness: 3, ease: 4, efficiency: 5 }).answers).toEqual({
      satisfaction: 1,
      trust: 2,
      effectiveness: 3,
      ease: 4,
      efficiency: 5,
    });
  });

  it.each([0, 6, 2.5, -1, Number.NaN])('refuses %s as an answer, naming the question', (value) => {
    expect(refusal(() => validateAnswers({ satisfaction: 4, equity: value }))).toEqual({ code: 'INVALID_ANSWER', argument: 'answers.equity' });
  });

  it('refuses a response without any rated question, even with free text', () => {
    expect(refusal(() => validateAnswers({}))).toEqual({ code: 'INVALID_ANSWER', argument: 'answers' });
    expect(refusal(() => validateAnswers({ trust: null, freeText: 'Great' }))).toEqual({ code: 'INVALID_ANSWER', argument: 'answers' });
  });

  it('trims the free text, drops it when empty, and redacts it before it is stored', () => {
    expect(validateAnswers({ ease: 4, freeText: '   ' })).toEqual({ answers: { ease: 4 } });
    expect(validateAnswers({ ease: 4, freeText: '  Slow. IOE0912345678, me@example.com ' })).toEqual({
      answers: { ease: 4 },
      freeText: `Slow. ${REDACTED.receiptNumber}, ${REDACTED.email}`,
    });
  });

  it('refuses free text longer than 2,000 characters', () => {
    expect(validateAnswers({ ease: 4, freeText: 'é'.repeat(2000) }).freeText).toHaveLength(2000);
    expect(refusal(() => validateAnswers({ ease: 4, freeText: 'a'.repeat(2001) }))).toEqual({ code: 'INVALID_ANSWER', argument: 'answers.freeText' });
  });
});
