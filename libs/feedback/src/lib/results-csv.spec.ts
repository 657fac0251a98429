import { parse } from 'csv-parse/sync';
import { summarizeResults } from './feedback-results';
import { resultsCsv } from './results-csv';

const key = { agency: 'USCIS', service: 'I-130', quarter: 'FY2027-Q1' };
const ten = (question: string, values: number[]) => values.map((responses, i) => ({ ...key, question, value: i + 1, responses })).filter((row) => row.responses > 0);

describe('resultsCsv', () => {
  it('writes one row per group and question, with counts per scale point, sample size and percent agreeing', () => {
    const groups = summarizeResults([{ ...key, responses: 12 }], [...ten('satisfaction', [1, 1, 1, 3, 6]), ...ten('trust', [0, 0, 0, 1, 1])], { minResponses: 10 });
    const header =
      'agency,service,service_name,fiscal_year,quarter,question,driver,question_text,survey_responses,responses,strongly_disagree,disagree,neither_agree_nor_disagree,agree,strongly_agree,percent_agree,published';
    expect(resultsCsv(groups)).toBe(
      [
        header,
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,satisfaction,Satisfaction,I am satisfied with the service I received from USCIS.,12,12,1,1,1,3,6,75.0,true',
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,trust,Trust,This interaction increased my trust in USCIS.,12,2,,,,,,,false',
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,effectiveness,Effectiveness,My need was addressed.,12,0,,,,,,,false',
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,ease,Ease,It was easy to complete what I needed to do.,12,0,,,,,,,false',
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,efficiency,Efficiency,It took a reasonable amount of time to do what I needed to do.,12,0,,,,,,,false',
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,equity,Equity,I was treated fairly.,12,0,,,,,,,false',
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,employeeHelpfulness,Employee helpfulness,Employees I interacted with were helpful.,12,0,,,,,,,false',
        '',
      ].join('\r\n'),
    );
  });

  it('reads back with a CSV parser into the same values', () => {
    const groups = summarizeResults([{ ...key, service: '21-686c', agency: 'VBA', responses: 10 }], [], { minResponses: 10 });
    const csv = resultsCsv(groups);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(7);
    expect(records[0]).toMatchObject({
      agency: 'VBA',
      service: '21-686c',
      service_name: 'Application Request to Add and/or Remove Dependents',
      fiscal_year: '2027',
      quarter: 'Q1',
      question_text: 'I am satisfied with the service I received from VBA.',
      survey_responses: '10',
      responses: '0',
      published: 'false',
    });
  });

  it('writes only the header when there is nothing to report', () => {
    expect(resultsCsv([]).split('\r\n')).toHaveLength(2);
  });
});
