import { parse } from 'csv-parse/sync';
import { dayFromIso, EstimationInputError, isoFromDay, type Day } from '@case-status/processing-time';
import type { CaseHistory, CohortSpell, ReplayHistory } from './history';

/** The steps a history row can record. Only `received` and the two decisions drive the replay. */
const CSV_STEPS = [
  'received',
  'biometrics_attended',
  'interview_scheduled',
  'evidence_requested',
  'evidence_received',
  'decision_approved',
  'decision_denied',
  'other',
] as const;
export type CsvStep = (typeof CSV_STEPS)[number];

const REQUIRED_COLUMNS = ['case_id', 'step', 'date'] as const;
/** Optional columns that place a case in a cohort; without any of them all cases are one cohort. */
const CSV_COHORT_COLUMNS = ['agency', 'form_type', 'office'] as const;
const DECISIONS: ReadonlySet<string> = new Set(['decision_approved', 'decision_denied']);

/** The cohort of every case when the file has no cohort columns. */
export const SINGLE_COHORT = 'all cases';

export interface CsvProblem {
  /** 1-based line of the file; for a row over several lines (a quoted line break), its first. */
  line: number;
  message: string;
}

/** Thrown with every problem found (up to `MAX_CSV_PROBLEMS`), so a file can be fixed in one go. */
export class CsvHistoryError extends Error {
  override readonly name = 'CsvHistoryError';

  constructor(readonly problems: readonly CsvProblem[]) {
    super(`the history has ${problems.length === MAX_CSV_PROBLEMS ? `at least ${MAX_CSV_PROBLEMS}` : problems.length} problem(s):\n${problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`);
  }
}

export const MAX_CSV_PROBLEMS = 50;

export interface CsvHistoryOptions {
  /**
   * The last day the history covers (`YYYY-MM-DD`); the latest date in the file by default.
   * Rows after it are not yet known on it: cases received later are left out, decisions and
   * transfers later have not happened (the case is pending at the end).
   */
  end?: string;
}

interface Row {
  line: number;
  caseId: string;
  step: CsvStep;
  day: Day;
  cohort: { agency: string; formType: string; office: string };
}

/**
 * Reads a case history from CSV text: a header naming at least `case_id`, `step` and `date`
 * (any order), then one row per step of a case. Optional `agency`, `form_type` and `office`
 * columns put cases in cohorts (their values on the `received` row); a later row naming
 * another office moves the case there from that day (a transfer). Dates are `YYYY-MM-DD`
 * or ISO timestamps (their own calendar date is read). A case's decision is its first
 * `decision_*` row; further ones (after a reopening) are ignored.
 *
 * Refuses the file with every malformed row and what is wrong with it: an unknown step or
 * column, a bad or missing date, a missing field, a case without a `received` row or with
 * two, a step (a decision included) dated before the case was received, an agency or form
 * that changes along a case. With `end`, rows after it are read (and checked) but not yet
 * known: see `knownOn`.
 */
export function historyFromCsv(text: string, options: CsvHistoryOptions = {}): ReplayHistory {
  const problems: CsvProblem[] = [];
  const report = (line: number, message: string): void => {
    if (problems.length < MAX_CSV_PROBLEMS) problems.push({ line, message });
  };
  const rows = readRows(text, report);
  const end = options.end === undefined ? null : parseEnd(options.end);
  const cases = casesOf(rows, report);
  const endDay = end ?? rows.reduce((latest, row) => Math.max(latest, row.day), Number.NEGATIVE_INFINITY);
  if (problems.length === 0 && rows.length === 0) report(1, 'the file has a header but no rows');
  if (problems.length > 0) throw new CsvHistoryError(problems.sort((a, b) => a.line - b.line));
  return { cases: knownOn(cases, endDay), endDay };
}

/**
 * The cases as they were known on `endDay`: a case received later did not exist yet, a
 * decision or a transfer later had not happened yet (the case is pending at the end, in the
 * office it was in then). Cut at an earlier day, a history of decided cases only loses its
 * biased right edge, where only the quick cases of the last months are listed.
 */
function knownOn(cases: readonly CaseHistory[], endDay: Day): CaseHistory[] {
  return cases
    .filter((item) => item.receivedAt <= endDay)
    .map((item) => ({
      ...item,
      decidedAt: item.decidedAt !== null && item.decidedAt <= endDay ? item.decidedAt : null,
      cohorts: item.cohorts.filter((spell) => spell.from <= endDay),
    }));
}

function parseEnd(value: string): Day {
  try {
    return dayFromIso(value, 'end');
  } catch (error) {
    if (error instanceof EstimationInputError) throw new RangeError(`end: ${error.problem}`);
    throw error;
  }
}

/** The well-formed rows; each malformed one is reported and left out. */
function readRows(text: string, report: (line: number, message: string) => void): Row[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes with where it ends; the typings don't know that option.
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (error) {
    const line = typeof (error as { lines?: unknown }).lines === 'number' ? (error as { lines: number }).lines : 1;
    report(line, `not readable as CSV: ${(error as Error).message}`);
    return [];
  }
  if (records.length === 0) {
    report(1, `the file is empty; expected a header with ${REQUIRED_COLUMNS.join(', ')}`);
    return [];
  }
  const columns = headerOf(records[0].record, records[0].info.lines, report);
  if (!columns) return [];
  const rows: Row[] = [];
  for (const { record, info } of records.slice(1)) {
    const line = info.lines - record.reduce((breaks, field) => breaks + (field.match(/\n/g)?.length ?? 0), 0);
    const row = rowOf(record, line, columns, report);
    if (row) rows.push(row);
  }
  return rows;
}

function headerOf(header: readonly string[], line: number, report: (line: number, message: string) => void): Map<string, number> | null {
  const columns = new Map<string, number>();
  const known: readonly string[] = [...REQUIRED_COLUMNS, ...CSV_COHORT_COLUMNS];
  let ok = true;
  header.forEach((name, index) => {
    const column = name.toLowerCase();
    if (!known.includes(column)) {
      report(line, `unknown column "${name}"; the columns are ${REQUIRED_COLUMNS.join(', ')} and optionally ${CSV_COHORT_COLUMNS.join(', ')}`);
      ok = false;
    } else if (columns.has(column)) {
      report(line, `column "${column}" appears twice`);
      ok = false;
    } else columns.set(column, index);
  });
  for (const column of REQUIRED_COLUMNS) {
    if (!columns.has(column)) {
      report(line, `missing column "${column}" in the header; expected at least ${REQUIRED_COLUMNS.join(', ')}`);
      ok = false;
    }
  }
  return ok ? columns : null;
}

function rowOf(record: readonly string[], line: number, columns: ReadonlyMap<string, number>, report: (line: number, message: string) => void): Row | null {
  if (record.length > columns.size) {
    report(line, `${record.length} fields where the header has ${columns.size}`);
    return null;
  }
  const field = (column: string): string => record[columns.get(column) ?? -1] ?? '';
  const missing = REQUIRED_COLUMNS.filter((column) => field(column) === '');
  if (missing.length > 0) {
    report(line, `missing ${missing.map((column) => `"${column}"`).join(' and ')}`);
    return null;
  }
  const step = field('step');
  if (!(CSV_STEPS as readonly string[]).includes(step)) {
    report(line, `unknown step "${step}"; the steps are ${CSV_STEPS.join(', ')}`);
    return null;
  }
  let day: Day;
  try {
    day = dayFromIso(field('date'));
  } catch {
    report(line, `bad date "${field('date')}"; expected a calendar date such as 2026-03-01`);
    return null;
  }
  return { line, caseId: field('case_id'), step: step as CsvStep, day, cohort: { agency: field('agency'), formType: field('form_type'), office: field('office') } };
}

/** One history per case from its rows, checking each case's rows against its `received` row. */
function casesOf(rows: readonly Row[], report: (line: number, message: string) => void): CaseHistory[] {
  const byCase = new Map<string, Row[]>();
  for (const row of rows) {
    const members = byCase.get(row.caseId);
    if (members) members.push(row);
    else byCase.set(row.caseId, [row]);
  }
  const cases: CaseHistory[] = [];
  for (const [caseId, caseRows] of byCase) {
    const received = caseRows.filter((row) => row.step === 'received');
    if (received.length === 0) {
      report(caseRows[0].line, `case "${caseId}" has no "received" row`);
      continue;
    }
    for (const extra of received.slice(1)) report(extra.line, `case "${caseId}" is received a second time (first on line ${received[0].line})`);
    const receipt = received[0];
    let ok = true;
    for (const row of caseRows) {
      if (row.day < receipt.day) {
        report(row.line, `${DECISIONS.has(row.step) ? 'decision' : `"${row.step}"`} on ${isoFromDay(row.day)}, before the case was received (${isoFromDay(receipt.day)}, line ${receipt.line})`);
        ok = false;
      }
      for (const [column, key] of [['agency', 'agency'], ['form_type', 'formType']] as const) {
        if (row.cohort[key] !== '' && row.cohort[key] !== receipt.cohort[key]) {
          report(row.line, `${column} "${row.cohort[key]}" differs from the case's "received" row ("${receipt.cohort[key]}", line ${receipt.line})`);
          ok = false;
        }
      }
    }
    if (ok) cases.push(caseHistoryOf(caseId, receipt, caseRows));
  }
  return cases;
}

function caseHistoryOf(caseId: string, receipt: Row, rows: readonly Row[]): CaseHistory {
  const ordered = [...rows].sort((a, b) => a.day - b.day || a.line - b.line);
  const decision = ordered.find((row) => DECISIONS.has(row.step));
  const decidedAt = decision?.day ?? null;
  const { agency, formType } = receipt.cohort;
  const cohorts: CohortSpell[] = [spellOf(receipt.day, agency, formType, receipt.cohort.office)];
  let office = receipt.cohort.office;
  for (const row of ordered) {
    // Moves after the decision don't change where the case was decided.
    if (row === receipt || row.cohort.office === '' || row.cohort.office === office || (decidedAt !== null && row.day > decidedAt)) continue;
    office = row.cohort.office;
    cohorts.push(spellOf(row.day, agency, formType, office));
  }
  return { caseId, receivedAt: receipt.day, decidedAt, cohorts };
}

/**
 * Keys like the simulated histories' (`USCIS I-485 NBC`), with `-` for a value not given;
 * the pool is the agency and form exactly as written. Without cohort columns there is one cohort
 * and nothing to pool with.
 */
function spellOf(from: Day, agency: string, formType: string, office: string): CohortSpell {
  const parts = [agency, formType, office];
  if (parts.every((part) => part === '')) return { from, cohort: SINGLE_COHORT };
  const [agencyKey, formKey, officeKey] = parts.map((part) => part || '-');
  return { from, cohort: `${agencyKey} ${formKey} ${officeKey}`, pool: JSON.stringify([agency, formType]) };
}
