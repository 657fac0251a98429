import { parse } from 'csv-parse/sync';
import { tableCsv } from './console-table';

describe('console tables as CSV', () => {
  const table = { caption: 'Cases', columns: ['Receipt number', 'Office', 'Pending'], rows: [['IOE0912345678', 'Nebraska, "NBC"', 12]] };

  it('writes a header row and CRLF records, quoting commas and quotes, and reads back to the same cells', () => {
    const csv = tableCsv(table);
    expect(csv).toBe('Receipt number,Office,Pending\r\nIOE0912345678,"Nebraska, ""NBC""",12\r\n');
    expect(parse(csv)).toEqual([['Receipt number', 'Office', 'Pending'], ['IOE0912345678', 'Nebraska, "NBC"', '12']]);
  });

  it.each(['=HYPERLINK("http://evil.example")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'])('keeps %j from running as a formula in a spreadsheet', (value) => {
    const [, row] = parse(tableCsv({ ...table, rows: [[value, 'NBC', 1]] })) as string[][];
    expect(row[0]).toBe(`'${value}`);
  });

  it('writes the console’s own numbers as they are, negative ones included', () => {
    // Numbers are the console's own counts, never input: they are written as they are.
    const [, row] = parse(tableCsv({ ...table, rows: [['IOE0912345678', 'NBC', -1]] })) as string[][];
    expect(row[2]).toBe('-1');
  });
});
