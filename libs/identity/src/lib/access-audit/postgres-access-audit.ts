import type { Pool } from 'pg';
import { assertSchemaName, migrateSchema, quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

/** Under which grant a private read was admitted. */
export const ACCESS_GRANTS = ['link', 'representative', 'caseworker', 'helper'] as const;
export type AccessGrant = (typeof ACCESS_GRANTS)[number];

/**
 * Who read: a signed-in person (their identity provider's issuer and subject), or a
 * caseworker (their agency and their subject at the agency's provider).
 */
export type AccessReader = { issuer: string; subject: string } | { agency: string; subject: string };

/**
 * One read of a case's private data: who, which case, which fields (their names, never their
 * values), under which grant, and, for a representative, the name the agency gave.
 */
export interface AccessRead {
  agency: string;
  receiptNumber: string;
  reader: AccessReader;
  grant: AccessGrant;
  /** Names of the private fields served, e.g. `upcomingAppointments`. */
  fields: readonly string[];
  /** How the applicant sees the reader named: the representative's name as the agency recorded it, or the address they invited a helper at, partly hidden. */
  readerName?: string;
  /** Which grant of its kind: a helper's invitation id. */
  grantId?: string;
}

export interface AccessEntry extends AccessRead {
  id: string;
  at: Date;
}

const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'private reads, append only',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE ${s}.private_reads (
          id              bigserial PRIMARY KEY,
          at              timestamptz NOT NULL DEFAULT now(),
          agency          text NOT NULL,
          receipt_number  text NOT NULL,
          grant_kind      text NOT NULL CHECK (grant_kind IN ('link', 'representative', 'caseworker')),
          reader_issuer   text,
          reader_agency   text,
          reader_subject  text NOT NULL,
          reader_name     text,
          fields          text[] NOT NULL,
          CHECK ((reader_issuer IS NULL) <> (reader_agency IS NULL))
        );
        CREATE INDEX private_reads_case ON ${s}.private_reads (agency, receipt_number, id DESC);
        CREATE INDEX private_reads_agency ON ${s}.private_reads (agency, id DESC);
        -- Append only: an entry, once written, is neither changed nor removed.
        CREATE FUNCTION ${s}.private_reads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'the access audit is append only'; END $$;
        CREATE TRIGGER private_reads_append_only BEFORE UPDATE OR DELETE ON ${s}.private_reads
          FOR EACH ROW EXECUTE FUNCTION ${s}.private_reads_append_only();
        CREATE TRIGGER private_reads_no_truncate BEFORE TRUNCATE ON ${s}.private_reads
          FOR EACH STATEMENT EXECUTE FUNCTION ${s}.private_reads_append_only();
      `;
    },
  },
  {
    version: 2,
    name: 'reads by helpers, under which invitation',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        ALTER TABLE ${s}.private_reads DROP CONSTRAINT private_reads_grant_kind_check;
        ALTER TABLE ${s}.private_reads ADD CONSTRAINT private_reads_grant_kind_check CHECK (grant_kind IN ('link', 'representative', 'caseworker', 'helper'));
        ALTER TABLE ${s}.private_reads ADD COLUMN grant_id text;
        ALTER TABLE ${s}.private_reads ADD CONSTRAINT private_reads_helper_grant CHECK ((grant_kind = 'helper') = (grant_id IS NOT NULL));
      `;
    },
  },
];

interface Row {
  id: string;
  at: Date;
  agency: string;
  receipt_number: string;
  grant_kind: AccessGrant;
  reader_issuer: string | null;
  reader_agency: string | null;
  reader_subject: string;
  reader_name: string | null;
  grant_id: string | null;
  fields: string[];
}

/**
 * The access audit: every read of a case's private data, appended to a table of its own
 * schema on the read side (docs/identity.md says why not events). Holds who read, which case,
 * which fields and under which grant, never what the fields held.
 */
export class PostgresAccessAudit {
  private readonly table: string;

  constructor(private readonly options: { pool: Pool; schema?: string }) {
    const schema = options.schema ?? 'access_audit';
    assertSchemaName(schema);
    this.table = `${quoteIdent(schema)}.private_reads`;
  }

  async migrate(): Promise<void> {
    await migrateSchema(this.options.pool, this.options.schema ?? 'access_audit', MIGRATIONS, 'case-status/access-audit');
  }

  /** Appends the reads of one answer, in one statement (all or none). */
  async record(reads: readonly AccessRead[]): Promise<void> {
    const rows = reads
      .filter((read) => read.fields.length > 0)
      .map((read) => ({
        agency: read.agency,
        receipt_number: read.receiptNumber,
        grant_kind: read.grant,
        reader_issuer: 'issuer' in read.reader ? read.reader.issuer : null,
        reader_agency: 'agency' in read.reader ? read.reader.agency : null,
        reader_subject: read.reader.subject,
        reader_name: read.readerName ?? null,
        grant_id: read.grantId ?? null,
        fields: read.fields,
      }));
    if (rows.length === 0) return;
    await this.options.pool.query(
      `INSERT INTO ${this.table} (agency, receipt_number, grant_kind, reader_issuer, reader_agency, reader_subject, reader_name, grant_id, fields)
       SELECT agency, receipt_number, grant_kind, reader_issuer, reader_agency, reader_subject, reader_name, grant_id, ARRAY(SELECT jsonb_array_elements_text(fields))
         FROM jsonb_to_recordset($1::jsonb)
           AS r(agency text, receipt_number text, grant_kind text, reader_issuer text, reader_agency text, reader_subject text, reader_name text, grant_id text, fields jsonb)`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * The latest reads of one case, newest first: what the applicant sees. With `asker`, that
   * person's own reads count as one (the latest), so their own visits never push someone
   * else's read off the list.
   */
  async ofCase(agency: string, receiptNumber: string, limit = 20, asker?: { issuer: string; subject: string }): Promise<AccessEntry[]> {
    if (!asker) {
      const { rows } = await this.options.pool.query<Row>(`SELECT * FROM ${this.table} WHERE agency = $1 AND receipt_number = $2 ORDER BY id DESC LIMIT $3`, [agency, receiptNumber, limit]);
      return rows.map(entryOf);
    }
    const { rows } = await this.options.pool.query<Row>(
      `(SELECT * FROM ${this.table} WHERE agency = $1 AND receipt_number = $2 AND (reader_issuer IS DISTINCT FROM $4 OR reader_subject <> $5) ORDER BY id DESC LIMIT $3)
       UNION ALL
       (SELECT * FROM ${this.table} WHERE agency = $1 AND receipt_number = $2 AND reader_issuer = $4 AND reader_subject = $5 ORDER BY id DESC LIMIT 1)
       ORDER BY id DESC LIMIT $3`,
      [agency, receiptNumber, limit, asker.issuer, asker.subject],
    );
    return rows.map(entryOf);
  }

  /** One agency's reads, newest first, optionally of one case, a page at a time (`before`: an entry id). */
  async ofAgency(agency: string, options: { receiptNumber?: string; first: number; before?: string }): Promise<AccessEntry[]> {
    const { rows } = await this.options.pool.query<Row>(
      `SELECT * FROM ${this.table}
        WHERE agency = $1 AND ($2::text IS NULL OR receipt_number = $2) AND ($3::bigint IS NULL OR id < $3)
        ORDER BY id DESC LIMIT $4`,
      [agency, options.receiptNumber ?? null, options.before ?? null, options.first],
    );
    return rows.map(entryOf);
  }
}

function entryOf(row: Row): AccessEntry {
  return {
    id: String(row.id),
    at: row.at,
    agency: row.agency,
    receiptNumber: row.receipt_number,
    grant: row.grant_kind,
    reader: row.reader_issuer !== null ? { issuer: row.reader_issuer, subject: row.reader_subject } : { agency: row.reader_agency ?? '', subject: row.reader_subject },
    ...(row.reader_name !== null && { readerName: row.reader_name }),
    ...(row.grant_id !== null && { grantId: row.grant_id }),
    fields: row.fields,
  };
}
