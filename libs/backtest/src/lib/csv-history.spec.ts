import { dayFromIso } from '@case-status/processing-time';
import { CsvHistoryError, historyFromCsv, MAX_CSV_PROBLEMS, SINGLE_COHORT } from './csv-history';

const day = (iso: string) => dayFromIso(iso);
const USCIS_I485 = '["USCIS","I-485"]';

/** The problems a file is refused with, as `line: message` strings. */
function problemsOf(text: string, options?: Parameters<typeof historyFromCsv>[1]): string[] {
  try {
    historyFromCsv(text, options);
  } catch (error) {
    if (error instanceof CsvHistoryError) return error.problems.map((problem) => `${problem.line}: ${problem.message}`);
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('historyFromCsv', () => {
  it('reads cases, their first decision and the end of the history, all in one cohort without cohort columns', () => {
    const history = historyFromCsv(
      [
        'case_id,step,date',
        'A-1,received,2025-01-06',
        'A-1,biometrics_attended,2025-01-20',
        'A-1,evidence_requested,2025-02-03',
        'A-1,evidence_received,2025-02-20',
        'A-1,decision_denied,2025-03-10',
        'A-1,decision_approved,2025-06-01', // decided again after a reopening: the first decision counts
        'B-2,received,2025-02-01T09:30:00-05:00',
        'B-2,other,2025-02-15',
        '',
        'C-3,decision_approved,2025-05-02', // rows of a case need not be in order
        'C-3,received,2025-03-03',
      ].join('\n'),
    );
    expect(history.endDay).toBe(day('2025-06-01'));
    expect(history.cases).toEqual([
      { caseId: 'A-1', receivedAt: day('2025-01-06'), decidedAt: day('2025-03-10'), cohorts: [{ from: day('2025-01-06'), cohort: SINGLE_COHORT }] },
      { caseId: 'B-2', receivedAt: day('2025-02-01'), decidedAt: null, cohorts: [{ from: day('2025-02-01'), cohort: SINGLE_COHORT }] },
      { caseId: 'C-3', receivedAt: day('2025-03-03'), decidedAt: day('2025-05-02'), cohorts: [{ from: day('2025-03-03'), cohort: SINGLE_COHORT }] },
    ]);
  });

  it('puts cases in cohorts by agency, form and office, in any column order, and follows transfers', () => {
    const history = historyFromCsv(
      [
        'date,office,step,case_id,form_type,agency',
        '2025-01-06,NBC,received,A-1,I-485,USCIS',
        '2025-02-10,NYC,other,A-1,,', // another office: transferred from that day
        '2025-03-01,,evidence_requested,A-1,,',
        '2025-04-01,NYC,decision_approved,A-1,I-485,USCIS',
        '2025-01-07,,received,B-2,I-765,USCIS',
      ].join('\n'),
      { end: '2025-06-30' },
    );
    expect(history.endDay).toBe(day('2025-06-30'));
    expect(history.cases[0].cohorts).toEqual([
      { from: day('2025-01-06'), cohort: 'USCIS I-485 NBC', pool: USCIS_I485 },
      { from: day('2025-02-10'), cohort: 'USCIS I-485 NYC', pool: USCIS_I485 },
    ]);
    // Pooled by agency and form only, across offices.
    expect(history.cases[1].cohorts).toEqual([{ from: day('2025-01-07'), cohort: 'USCIS I-765 -', pool: '["USCIS","I-765"]' }]);
  });

  it.each([
    ['an unknown step', 'A,received,2025-01-06\nA,decision_granted,2025-02-01', ['3: unknown step "decision_granted"; the steps are received, biometrics_attended, interview_scheduled, evidence_requested, evidence_received, decision_approved, decision_denied, other']],
    ['an impossible date', 'A,received,2025-02-30', ['2: bad date "2025-02-30"; expected a calendar date such as 2026-03-01']],
    ['a date that is no date', 'A,received,2025-01-06\nA,other,next week', ['3: bad date "next week"; expected a calendar date such as 2026-03-01']],
    ['an empty field', 'A,received,2025-01-06\nA,,2025-01-09', ['3: missing "step"']],
    ['a row cut short', 'A,received,2025-01-06\nA,other', ['3: missing "date"']],
    ['a row with a field too many', 'A,received,2025-01-06,NBC', ['2: 4 fields where the header has 3']],
    ['a decision before receipt', 'A,received,2025-03-01\nA,decision_approved,2025-02-27', ['3: decision on 2025-02-27, before the case was received (2025-03-01, line 2)']],
    ['another step before receipt', 'A,evidence_requested,2025-02-27\nA,received,2025-03-01', ['2: "evidence_requested" on 2025-02-27, before the case was received (2025-03-01, line 3)']],
    ['a case never received', 'A,received,2025-01-06\nB,other,2025-01-09\nB,decision_denied,2025-02-01', ['3: case "B" has no "received" row']],
    ['a case received twice', 'A,received,2025-01-06\nA,received,2025-01-08', ['3: case "A" is received a second time (first on line 2)']],
    ['a quote left open', 'A,received,2025-01-06\n"A,other,2025-01-09', [expect.stringMatching(/^3: not readable as CSV: Quote Not Closed/)]],
  ])('refuses %s, naming the line and what is wrong', (_, rows, problems) => {
    expect(problemsOf(`case_id,step,date\n${rows}`)).toEqual(problems);
  });

  it('refuses a header without the required columns or with unknown ones', () => {
    expect(problemsOf('case,step,date,region\nA,received,2025-01-06,x')).toEqual([
      '1: unknown column "case"; the columns are case_id, step, date and optionally agency, form_type, office',
      '1: unknown column "region"; the columns are case_id, step, date and optionally agency, form_type, office',
      '1: missing column "case_id" in the header; expected at least case_id, step, date',
    ]);
    expect(problemsOf('')).toEqual(['1: the file is empty; expected a header with case_id, step, date']);
    expect(problemsOf('case_id,step,date\n')).toEqual(['1: the file has a header but no rows']);
  });

  it('refuses an agency or form that changes along a case, even after the given end', () => {
    expect(
      problemsOf(['case_id,step,date,agency,form_type', 'A,received,2025-01-06,USCIS,I-485', 'A,other,2025-01-09,,', 'A,decision_approved,2025-09-01,VBA,'].join('\n'), { end: '2025-06-30' }),
    ).toEqual(['4: agency "VBA" differs from the case\'s "received" row ("USCIS", line 2)']);
  });

  it('reads the history as known on the given end: later decisions and transfers have not happened, later receipts do not exist', () => {
    const history = historyFromCsv(
      [
        'case_id,step,date,agency,form_type,office',
        'A,received,2025-01-06,USCIS,I-485,NBC',
        'A,decision_approved,2025-06-30,,,', // on the end day: known
        'B,received,2025-02-01,USCIS,I-485,NBC',
        'B,other,2025-05-01,,,NYC', // transferred before the end
        'B,other,2025-08-01,,,LAX', // and again after it
        'B,decision_denied,2025-09-01,,,',
        'C,received,2025-07-01,USCIS,I-485,NBC', // received after the end
        'C,decision_approved,2025-07-20,,,',
      ].join('\n'),
      { end: '2025-06-30' },
    );
    expect(history.endDay).toBe(day('2025-06-30'));
    expect(history.cases).toEqual([
      { caseId: 'A', receivedAt: day('2025-01-06'), decidedAt: day('2025-06-30'), cohorts: [{ from: day('2025-01-06'), cohort: 'USCIS I-485 NBC', pool: USCIS_I485 }] },
      {
        caseId: 'B',
        receivedAt: day('2025-02-01'),
        decidedAt: null,
        cohorts: [
          { from: day('2025-02-01'), cohort: 'USCIS I-485 NBC', pool: USCIS_I485 },
          { from: day('2025-05-01'), cohort: 'USCIS I-485 NYC', pool: USCIS_I485 },
        ],
      },
    ]);
  });

  it('reports every malformed row at once, in line order, and the line a multi-line row starts on', () => {
    const text = ['case_id,step,date', 'A,received,2025-01-06', 'A,"other', 'note",2025-01-32', 'B,nope,2025-01-06', 'C,decision_denied,2025-01-01', 'C,received,2025-01-02'].join('\n');
    expect(problemsOf(text)).toEqual([
      '3: unknown step "other\nnote"; the steps are received, biometrics_attended, interview_scheduled, evidence_requested, evidence_received, decision_approved, decision_denied, other',
      '5: unknown step "nope"; the steps are received, biometrics_attended, interview_scheduled, evidence_requested, evidence_received, decision_approved, decision_denied, other',
      '6: decision on 2025-01-01, before the case was received (2025-01-02, line 7)',
    ]);
    const many = ['case_id,step,date', ...Array.from({ length: 80 }, (_, i) => `A${i},received,someday`)].join('\n');
    expect(() => historyFromCsv(many)).toThrow(`the history has at least ${MAX_CSV_PROBLEMS} problem(s):\n  line 2: bad date "someday"`);
  });
});
