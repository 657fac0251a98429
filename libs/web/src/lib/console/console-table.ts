import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';

/**
 * A table of the console as data: what the page shows and what its CSV holds, built once so
 * the two can never differ.
 */
export interface ConsoleTable {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}

/**
 * The table as CSV (RFC 4180, CRLF, a header row). A cell that a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`,
 * so a value that came from an agency's feed cannot run in a caseworker's spreadsheet.
 */
export function tableCsv(table: ConsoleTable): string {
  return stringify([[...table.columns], ...table.rows.map((row) => [...row])], { record_delimiter: 'windows', escape_formulas: true });
}

/** Sends the table as a CSV download named `<name>.csv`; never cached (it is one agency's data). */
export function sendCsv(reply: FastifyReply, name: string, table: ConsoleTable): FastifyReply {
  return reply
    .code(200)
    .header('content-type', 'text/csv; charset=utf-8; header=present')
    .header('content-disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.csv"`)
    .header('cache-control', 'no-store')
    .send(tableCsv(table));
}
