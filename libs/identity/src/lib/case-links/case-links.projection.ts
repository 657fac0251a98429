import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@case-status/event-contract';
import { assertSchemaName, quoteIdent } from '@case-status/postgres-support';
import type { Projection } from '@case-status/projection-runner';
import { CASE_LINKED, CASE_UNLINKED, parseCaseLinked, PERSON_STREAM_PREFIX } from './person-stream';

/**
 * The cases each person has linked now, from the `CaseLinked` and `CaseUnlinked` events of person streams: what the
 * status API asks before it shows anyone a case's private details. Holds no access code
 * hash (person streams never carry one). Run by a ProjectionRunner, with a checkpoint and a
 * schema of its own.
 */
export const caseLinks: Projection = {
  name: 'case-links',
  schema: 'case_links',
  streamPrefixes: [PERSON_STREAM_PREFIX],
  eventTypes: [CASE_LINKED, CASE_UNLINKED],
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

/**
 * In order, as the runner delivers them (a case may be linked, unlinked and linked again in
 * one batch). A link already there stays as it was, and an unlink of a case not there changes
 * nothing, so the outcome depends only on the order of events.
 */
async function applyCaseLinks(client: PoolClient, events: readonly RecordedEvent[], { schema }: { schema: string }): Promise<void> {
  const table = `${quoteIdent(schema)}.linked_cases`;
  for (const event of events) {
    const data = parseCaseLinked(event.data);
    if (!data) continue;
    if (event.type === CASE_UNLINKED) {
      await client.query(`DELETE FROM ${table} WHERE person_stream = $1 AND agency = $2 AND receipt_number = $3`, [event.streamId, data.agency, data.receiptNumber]);
      continue;
    }
    const at = typeof event.metadata['occurredAt'] === 'string' ? event.metadata['occurredAt'] : event.recordedAt.toISOString();
    await client.query(`INSERT INTO ${table} (person_stream, agency, receipt_number, linked_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [event.streamId, data.agency, data.receiptNumber, at]);
  }
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
