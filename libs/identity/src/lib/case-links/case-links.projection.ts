import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@case-status/event-contract';
import { assertSchemaName, quoteIdent } from '@case-status/postgres-support';
import type { Projection } from '@case-status/projection-runner';
import { CASE_LINKED, parseCaseLinked, PERSON_STREAM_PREFIX } from './person-stream';

/**
 * The cases each person linked, from the `CaseLinked` events of person streams: what the
 * status API asks before it shows anyone a case's private details. Holds no access code
 * hash (person streams never carry one). Run by a ProjectionRunner, with a checkpoint and a
 * schema of its own.
 */
export const caseLinks: Projection = {
  name: 'case-links',
  schema: 'case_links',
  streamPrefixes: [PERSON_STREAM_PREFIX],
  eventTypes: [CASE_LINKED],
  migrations: [
    {
      version: 1,
      name: 'linked cases',
      sql: (schema) => `
        CREATE TABLE ${quoteIdent(schema)}.linked_cases (
          person_stream   text NOT NULL,
          agency          text NOT NULL,
          receipt_number  text NOT NULL,
          linked_at       timestamptz NOT NULL,
          PRIMARY KEY (person_stream, agency, receipt_number)
        );`,
    },
  ],
  apply: applyCaseLinks,
};

/** A link is a fact that stays, so an event delivered again (a replay) changes nothing. */
async function applyCaseLinks(client: PoolClient, events: readonly RecordedEvent[], { schema }: { schema: string }): Promise<void> {
  const rows = events.flatMap((event) => {
    const data = parseCaseLinked(event.data);
    const at = typeof event.metadata['occurredAt'] === 'string' ? event.metadata['occurredAt'] : event.recordedAt.toISOString();
    return data ? [{ person_stream: event.streamId, agency: data.agency, receipt_number: data.receiptNumber, linked_at: at }] : [];
  });
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ${quoteIdent(schema)}.linked_cases (person_stream, agency, receipt_number, linked_at)
     SELECT person_stream, agency, receipt_number, linked_at
       FROM jsonb_to_recordset($1::jsonb) AS r(person_stream text, agency text, receipt_number text, linked_at timestamptz)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

export interface LinkedCase {
  agency: string;
  receiptNumber: string;
  linkedAt: Date;
}

/** Reads the links read model. */
export class PostgresCaseLinks {
  private readonly table: string;

  constructor(private readonly options: { connection: Pool; schema?: string }) {
    const schema = options.schema ?? caseLinks.schema;
    assertSchemaName(schema);
    this.table = `${quoteIdent(schema)}.linked_cases`;
  }

  /** The person's linked cases, the most recently linked first. */
  async linkedCases(personStream: string): Promise<LinkedCase[]> {
    const { rows } = await this.options.connection.query<{ agency: string; receipt_number: string; linked_at: Date }>(
      `SELECT agency, receipt_number, linked_at FROM ${this.table} WHERE person_stream = $1 ORDER BY linked_at DESC, receipt_number`,
      [personStream],
    );
    return rows.map((row) => ({ agency: row.agency, receiptNumber: row.receipt_number, linkedAt: row.linked_at }));
  }
}
