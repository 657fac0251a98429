import { summarizeResults, type AnswerCountRow, type GroupCountRow } from './feedback-results';
import { MIN_PUBLISHED_RESPONSES } from './survey';

const key = { agency: 'USCIS', service: 'I-130', quarter: 'FY2027-Q1' };

/** Answer rows for one question from counts of values 1..5. */
const countsOf = (question: string, counts: number[], group = key): AnswerCountRow[] =>
  counts.flatMap((responses, index) => (responses > 0 ? [{ ...group, question, value: index + 1, responses }] : []));

describe('summarizeResults', () => {
  it('publishes a question answered by at least the minimum, with counts and the share agreeing (4 and 5)', () => {
    const groups: GroupCountRow[] = [{ ...key, responses: 12 }];
    const [group] = summarizeResults(groups, countsOf('satisfaction', [1, 1, 2, 3, 5]), { minResponses: 10 });
    expect(group.responses).toBe(12);
    expect(group.questions[0]).toEqual({
      question: 'satisfaction',
      responses: 12,
      published: true,
      counts: { 1: 1, 2: 1, 3: 2, 4: 3, 5: 5 },
      agreeShare: 8 / 12,
    });
  });

  it('shows only the sample size of a question answered fewer times than the minimum', () => {
    const groups: GroupCountRow[] = [{ ...key, responses: 12 }];
    const answers = [...countsOf('satisfaction', [0, 0, 0, 5, 5]), ...countsOf('employeeHelpfulness', [0, 0, 0, 4, 5])];
    const [group] = summarizeResults(groups, answers, { minResponses: MIN_PUBLISHED_RESPONSES });
    expect(MIN_PUBLISHED_RESPONSES).toBe(10);
    expect(group.questions.find((q) => q.question === 'satisfaction')?.published).toBe(true);
    expect(group.questions.find((q) => q.question === 'employeeHelpfulness')).toEqual({
      question: 'employeeHelpfulness',
      responses: 9,
      published: false,
      counts: null,
      agreeShare: null,
    });
  });

  it('lists every question of the survey, unanswered ones with zero responses', () => {
    const [group] = summarizeResults([{ ...key, responses: 1 }], countsOf('ease', [0, 0, 0, 0, 1]), { minResponses: 1 });
    expect(group.questions.map((q) => [q.question, q.responses, q.published])).toEqual([
      ['satisfaction', 0, false],
      ['trust', 0, false],
      ['effectiveness', 0, false],
      ['ease', 1, true],
      ['efficiency', 0, false],
      ['equity', 0, false],
      ['employeeHelpfulness', 0, false],
    ]);
  });

  it('publishes everything, zeros included, when no minimum applies (the agency’s own export)', () => {
    const [group] = summarizeResults([{ ...key, responses: 1 }], countsOf('ease', [0, 0, 0, 1, 0]), { minResponses: 0 });
    expect(group.questions[0]).toEqual({ question: 'satisfaction', responses: 0, published: true, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, agreeShare: null });
    expect(group.questions[3]).toMatchObject({ question: 'ease', responses: 1, published: true, agreeShare: 1 });
  });

  it('keeps groups apart and orders them by service, then quarter', () => {
    const q2 = { ...key, quarter: 'FY2027-Q2' };
    const i485 = { ...key, service: 'I-485' };
    const groups = [q2, i485, key].map((g) => ({ ...g, responses: 10 }));
    const answers = [...countsOf('trust', [10, 0, 0, 0, 0], q2), ...countsOf('trust', [0, 0, 0, 0, 10], key), ...countsOf('trust', [0, 0, 10, 0, 0], i485)];
    const results = summarizeResults(groups, answers, { minResponses: 10 });
    expect(results.map((g) => [g.service, g.quarter, g.questions[1].agreeShare])).toEqual([
      ['I-130', 'FY2027-Q1', 1],
      ['I-130', 'FY2027-Q2', 0],
      ['I-485', 'FY2027-Q1', 0],
    ]);
  });
});
