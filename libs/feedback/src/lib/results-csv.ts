import { stringify } from 'csv-stringify/sync';
import { findAgency } from '@case-status/case-domain';
import { parseFiscalQuarter } from './fiscal-quarter';
import type { GroupResult } from './feedback-results';
import { SURVEY_QUESTIONS, surveyIn } from './survey';

/**
 * The columns of the quarterly export, one row per (agency, service, quarter, question): what
 * an agency's A-11 customer experience data submission asks for per survey item. Counts per
 * scale point, sample size, share agreeing (percent, one decimal). Suppressed rows keep
 * their sample size and leave the counts empty, with `published` false.
 */
const CSV_COLUMNS = [
  'agency',
  'service',
  'service_name',
  'fiscal_year',
  'quarter',
  'question',
  'driver',
  'question_text',
  'survey_responses',
  'responses',
  'strongly_disagree',
  'disagree',
  'neither_agree_nor_disagree',
  'agree',
  'strongly_agree',
  'percent_agree',
  'published',
] as const;

/** RFC 4180 CSV (CRLF line ends, a header row, quotes only where needed), UTF-8. */
export function resultsCsv(groups: readonly GroupResult[]): string {
  const drivers = new Map(SURVEY_QUESTIONS.map((question) => [question.id, question.driver.en]));
  const rows = groups.flatMap((group) => {
    const agency = findAgency(group.agency);
    const texts = new Map(surveyIn('en', group.agency).questions.map((question) => [question.id, question.text]));
    const { fiscalYear, quarter } = parseFiscalQuarter(group.quarter);
    return group.questions.map((result) => [
      group.agency,
      group.service,
      agency?.formTypes.find((form) => form.code === group.service)?.name ?? '',
      fiscalYear,
      `Q${quarter}`,
      result.question,
      drivers.get(result.question),
      texts.get(result.question),
      group.responses,
      result.responses,
      ...(result.counts ? [result.counts[1], result.counts[2], result.counts[3], result.counts[4], result.counts[5]] : ['', '', '', '', '']),
      result.agreeShare === null ? '' : (Math.round(result.agreeShare * 1000) / 10).toFixed(1),
      result.published ? 'true' : 'false',
    ]);
  });
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: 'windows' });
}
