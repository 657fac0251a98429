import { AGREEING_VALUES, QUESTION_IDS, SCALE_VALUES, type QuestionId, type ScaleValue } from './survey';
import type { FiscalQuarter } from './fiscal-quarter';
import type { GroupKey } from './feedback.projection';

export type ScaleCounts = Record<ScaleValue, number>;

export interface QuestionResult {
  question: QuestionId;
  /** How many responses of the group answered this question (its sample size). */
  responses: number;
  /** False below the publication minimum: then `counts` and `agreeShare` are null. */
  published: boolean;
  counts: ScaleCounts | null;
  /** Share of this question's answers that agree (4) or strongly agree (5), 0 to 1; null without answers. */
  agreeShare: number | null;
}

export interface GroupResult extends GroupKey {
  /** Responses received for the group, whatever they answered. */
  responses: number;
  /** Every survey question, in survey order, answered or not. */
  questions: QuestionResult[];
}

export interface ResultsFilter {
  agency: string;
  service?: string;
  /** Inclusive. */
  fromQuarter?: FiscalQuarter;
  /** Inclusive. */
  toQuarter?: FiscalQuarter;
}

export interface ResultsPolicy {
  /** Questions answered fewer times than this in a group show their sample size only. 0 publishes everything. */
  minResponses: number;
  /** Leave out this quarter and later ones (the quarter still open, whose counts still move). */
  beforeQuarter?: FiscalQuarter;
}

export interface GroupCountRow extends GroupKey {
  responses: number;
}

export interface AnswerCountRow extends GroupKey {
  question: string;
  value: number;
  responses: number;
}

/**
 * The published form of the counts: per group, each question's sample size, and its
 * breakdown and share agreeing only when enough people answered it (policy.minResponses).
 * Groups are ordered by service, then quarter.
 */
export function summarizeResults(groups: readonly GroupCountRow[], answers: readonly AnswerCountRow[], policy: ResultsPolicy): GroupResult[] {
  const groupId = (key: GroupKey) => JSON.stringify([key.agency, key.service, key.quarter]);
  const countsByGroup = new Map<string, Map<QuestionId, ScaleCounts>>();
  for (const row of answers) {
    const byQuestion = countsByGroup.get(groupId(row)) ?? new Map<QuestionId, ScaleCounts>();
    const counts = byQuestion.get(row.question as QuestionId) ?? emptyCounts();
    counts[row.value as ScaleValue] += row.responses;
    byQuestion.set(row.question as QuestionId, counts);
    countsByGroup.set(groupId(row), byQuestion);
  }
  return [...groups]
    .sort((a, b) => compareText(a.agency, b.agency) || compareText(a.service, b.service) || compareText(a.quarter, b.quarter))
    .map((group) => ({
      agency: group.agency,
      service: group.service,
      quarter: group.quarter,
      responses: group.responses,
      questions: QUESTION_IDS.map((question) => questionResult(question, countsByGroup.get(groupId(group))?.get(question) ?? emptyCounts(), policy.minResponses)),
    }));
}

function questionResult(question: QuestionId, counts: ScaleCounts, minResponses: number): QuestionResult {
  const responses = SCALE_VALUES.reduce((sum, value) => sum + counts[value], 0);
  const published = responses >= minResponses;
  if (!published) return { question, responses, published, counts: null, agreeShare: null };
  const agreeing = AGREEING_VALUES.reduce((sum, value) => sum + counts[value], 0);
  return { question, responses, published, counts, agreeShare: responses === 0 ? null : agreeing / responses };
}

function emptyCounts(): ScaleCounts {
  return { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
}

/** Code-point order, the same in every locale (and the same as the tables' keys compare in tests). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
