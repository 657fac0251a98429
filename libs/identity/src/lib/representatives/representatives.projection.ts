import type { Pool, PoolClient } from 'pg';
import { parseCaseStreamId, type RepresentativeAppointed } from '@case-status/case-domain';
import type { RecordedEvent } from '@case-status/event-contract';
import { assertSchemaName, quoteIdent } from '@case-status/postgres-support';
import type { Projection } from '@case-status/projection-runner';

const APPOINTED = 'RepresentativeAppointed';
const WITHDRAWN = 'RepresentativeWithdrawn';

/**
 * Who is of record on which case, from the agencies' RepresentativeAppointed and
 * RepresentativeWithdrawn events: the authority the status API asks before it shows a
 * representative a case ("My clients") and the notifier asks before it delivers to one. A
 * withdrawal deletes the row, so access ends as soon as it is projected. Run by a
 * ProjectionRunner, with a checkpoint and a schema of its own.
 */
export const representativesOfRecord: Projection = {
  name: 'representatives',
  schema: 'representatives',
  streamPrefixes: ['case-'],
  eventTypes: [APPOINTED, WITHDRAWN],
  migrations: [
    {
      version: 1,
      name: 'representatives of record',
      sql: (schema) => `
        CREATE TABLE ${quoteIdent(schema)}.of_record (
          agency             text NOT NULL,
          receipt_number     text NOT NULL,
          representative_id  text NOT NULL,
          name               text NOT NULL,
          kind               text NOT NULL,
          issuer             text,
          subject            text,
          email              text,
          effective_from     date NOT NULL,
          appointed_at       timestamptz NOT NULL,
          PRIMARY KEY (agency, receipt_number, representative_id),
          CHECK ((email IS NOT NULL) <> (issuer IS NOT NULL AND subject IS NOT NULL))
        );
        CREATE INDEX of_record_by_subject ON ${quoteIdent(schema)}.of_record (subject, issuer) WHERE subject IS NOT NULL;
        CREATE INDEX of_record_by_email ON ${quoteIdent(schema)}.of_record (email) WHERE email IS NOT NULL;`,
    },
  ],
  apply: applyRepresentatives,
};

/**
 * Events apply one by one in their global order, so a withdrawal and a later re-appointment
 * of the same id end with the representative of record; an event delivered again (a replay)
 * writes the same row.
 */
async function applyRepresentatives(client: PoolClient, events: readonly RecordedEvent[], { schema }: { schema: string }): Promise<void> {
  const table = `${quoteIdent(schema)}.of_record`;
  for (const event of events) {
    const ofCase = parseCaseStreamId(event.streamId);
    if (!ofCase) continue;
    if (event.type === WITHDRAWN) {
      const { representativeId } = event.data as { representativeId?: unknown };
      if (typeof representativeId !== 'string') continue;
      await client.query(`DELETE FROM ${table} WHERE agency = $1 AND receipt_number = $2 AND representative_id = $3`, [ofCase.agency, ofCase.receiptNumber, representativeId]);
      continue;
    }
    const appointed = parseAppointed(event.data);
    if (!appointed) continue;
    const identity = appointed.identity;
    const at = typeof event.metadata['occurredAt'] === 'string' ? event.metadata['occurredAt'] : event.recordedAt.toISOString();
    await client.query(
      `INSERT INTO ${table} (agency, receipt_number, representative_id, name, kind, issuer, subject, email, effective_from, appointed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (agency, receipt_number, representative_id) DO UPDATE
         SET name = EXCLUDED.name, kind = EXCLUDED.kind, issuer = EXCLUDED.issuer, subject = EXCLUDED.subject, email = EXCLUDED.email,
             effective_from = EXCLUDED.effective_from, appointed_at = EXCLUDED.appointed_at`,
      [
        ofCase.agency,
        ofCase.receiptNumber,
        appointed.representativeId,
        appointed.name,
        appointed.kind,
        'email' in identity ? null : identity.issuer,
        'email' in identity ? null : identity.subject,
        'email' in identity ? identity.email.toLowerCase() : null,
        appointed.effectiveFrom,
        at,
      ],
    );
  }
}

function parseAppointed(data: unknown): RepresentativeAppointed['data'] | null {
  if (typeof data !== 'object' || data === null) return null;
  const { representativeId, name, kind, identity, effectiveFrom } = data as Record<string, unknown>;
  if (typeof representativeId !== 'string' || typeof name !== 'string' || typeof kind !== 'string' || typeof effectiveFrom !== 'string') return null;
  if (typeof identity !== 'object' || identity === null) return null;
  const { issuer, subject, email } = identity as Record<string, unknown>;
  const known = typeof email === 'string' ? { email } : typeof issuer === 'string' && typeof subject === 'string' ? { issuer, subject } : null;
  return known ? ({ representativeId, name, kind, identity: known, effectiveFrom } as RepresentativeAppointed['data']) : null;
}

/**
 * How a signed-in person is matched against the representatives of record: the provider's
 * issuer and subject, and the e-mail address only when the provider said it verified it.
 */
export interface RepresentativeSignIn {
  issuer: string;
  subject: string;
  verifiedEmail?: string;
}

export interface ClientCase {
  agency: string;
  receiptNumber: string;
  /** The representative's name as the agency recorded it. */
  name: string;
  kind: string;
  /** The first day they are of record (ISO date). */
  effectiveFrom: string;
}

/** Reads the representatives read model. */
export class PostgresRepresentatives {
  private readonly table: string;

  constructor(private readonly options: { connection: Pool; schema?: string; clock?: () => Date }) {
    const schema = options.schema ?? representativesOfRecord.schema;
    assertSchemaName(schema);
    this.table = `${quoteIdent(schema)}.of_record`;
  }

  /**
   * The cases the person is of record on today (an appointment effective later does not count
   * yet), each once, the latest effective first.
   */
  async casesOf(person: RepresentativeSignIn): Promise<ClientCase[]> {
    const { rows } = await this.options.connection.query<{ agency: string; receipt_number: string; name: string; kind: string; effective_from: string }>(
      `SELECT DISTINCT ON (agency, receipt_number) agency, receipt_number, name, kind, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, appointed_at
         FROM ${this.table}
        WHERE ((issuer = $1 AND subject = $2) OR ($3::text IS NOT NULL AND email = $3)) AND effective_from <= $4::date
        ORDER BY agency, receipt_number, appointed_at DESC`,
      [person.issuer, person.subject, person.verifiedEmail?.toLowerCase() ?? null, this.today()],
    );
    return rows
      .map((row) => ({ agency: row.agency, receiptNumber: row.receipt_number, name: row.name, kind: row.kind, effectiveFrom: row.effective_from }))
      .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom) || a.receiptNumber.localeCompare(b.receiptNumber));
  }

  /** Whether the agency's representative `representativeId` is of record on the case today. */
  async isOfRecord(agency: string, receiptNumber: string, representativeId: string): Promise<boolean> {
    const { rowCount } = await this.options.connection.query(
      `SELECT 1 FROM ${this.table} WHERE agency = $1 AND receipt_number = $2 AND representative_id = $3 AND effective_from <= $4::date`,
      [agency, receiptNumber, representativeId, this.today()],
    );
    return (rowCount ?? 0) > 0;
  }

  /** Today's date in UTC, which begins a few hours before it does in the United States. */
  private today(): string {
    return (this.options.clock?.() ?? new Date()).toISOString().slice(0, 10);
  }
}
