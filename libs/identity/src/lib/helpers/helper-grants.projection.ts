import type { Pool, PoolClient } from 'pg';
import type { RecordedEvent } from '@case-status/event-contract';
import { assertSchemaName, quoteIdent } from '@case-status/postgres-support';
import type { Projection } from '@case-status/projection-runner';
import { CASE_UNLINKED, parseCaseLinked, PERSON_STREAM_PREFIX } from '../case-links/person-stream';
import { grantState, HELPER_ACCESS_REVOKED, HELPER_EVENT_TYPES, HELPER_INVITATION_ACCEPTED, HELPER_INVITED, parseHelperInvited, type GrantState } from './helper-grants';

/**
 * The grants people gave helpers, from the helper events of person streams: what the status
 * API asks before it shows a helper a case. It keeps the dates, not a state: whether a grant
 * is in force is decided when it is read, against the clock, so an access that has ended
 * gives nothing even though no event says so. Run by a ProjectionRunner.
 */
export const helperGrants: Projection = {
  name: 'helper-grants',
  schema: 'helper_grants',
  streamPrefixes: [PERSON_STREAM_PREFIX],
  eventTypes: [...HELPER_EVENT_TYPES, CASE_UNLINKED],
  migrations: [
    {
      version: 1,
      name: 'helper grants',
      sql: (schema) => `
        CREATE TABLE ${quoteIdent(schema)}.grants (
          invitation_id          text PRIMARY KEY,
          applicant_stream       text NOT NULL,
          agency                 text NOT NULL,
          receipt_number         text NOT NULL,
          email_hint             text NOT NULL,
          token_hash             text NOT NULL UNIQUE,
          invited_at             timestamptz NOT NULL,
          invitation_expires_at  timestamptz NOT NULL,
          access_until           timestamptz NOT NULL,
          helper_stream          text,
          accepted_at            timestamptz,
          revoked_at             timestamptz
        );
        CREATE INDEX grants_of_applicant ON ${quoteIdent(schema)}.grants (applicant_stream, agency, receipt_number);
        CREATE INDEX grants_of_helper ON ${quoteIdent(schema)}.grants (helper_stream) WHERE helper_stream IS NOT NULL;`,
    },
  ],
  apply: applyHelperGrants,
};

/** One by one in stream order; an event delivered again writes the same row. */
async function applyHelperGrants(client: PoolClient, events: readonly RecordedEvent[], { schema }: { schema: string }): Promise<void> {
  const table = `${quoteIdent(schema)}.grants`;
  for (const event of events) {
    const at = typeof event.metadata['occurredAt'] === 'string' ? event.metadata['occurredAt'] : event.recordedAt.toISOString();
    const { invitationId, helperStream } = event.data as { invitationId?: unknown; helperStream?: unknown };
    if (event.type === HELPER_INVITED) {
      const invited = parseHelperInvited(event.data);
      if (!invited) continue;
      await client.query(
        `INSERT INTO ${table} (invitation_id, applicant_stream, agency, receipt_number, email_hint, token_hash, invited_at, invitation_expires_at, access_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (invitation_id) DO NOTHING`,
        [invited.invitationId, event.streamId, invited.agency, invited.receiptNumber, invited.emailHint, invited.tokenHash, at, invited.invitationExpiresAt, invited.accessUntil],
      );
    } else if (event.type === HELPER_INVITATION_ACCEPTED && typeof invitationId === 'string' && typeof helperStream === 'string') {
      await client.query(`UPDATE ${table} SET helper_stream = $3, accepted_at = $4 WHERE invitation_id = $1 AND applicant_stream = $2`, [invitationId, event.streamId, helperStream, at]);
    } else if (event.type === HELPER_ACCESS_REVOKED && typeof invitationId === 'string') {
      await client.query(`UPDATE ${table} SET revoked_at = coalesce(revoked_at, $3) WHERE invitation_id = $1 AND applicant_stream = $2`, [invitationId, event.streamId, at]);
    } else if (event.type === CASE_UNLINKED) {
      // The applicant took the case off their account: every grant they gave of it ends with it.
      const unlinked = parseCaseLinked(event.data);
      if (!unlinked) continue;
      await client.query(`UPDATE ${table} SET revoked_at = coalesce(revoked_at, $4) WHERE applicant_stream = $1 AND agency = $2 AND receipt_number = $3`, [
        event.streamId,
        unlinked.agency,
        unlinked.receiptNumber,
        at,
      ]);
    }
  }
}

export interface HelperGrant {
  invitationId: string;
  agency: string;
  receiptNumber: string;
  /** `m…@example.org`: the invited address as the applicant sees it. */
  emailHint: string;
  invitedAt: Date;
  invitationExpiresAt: Date;
  accessUntil: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  /** As it stands now. */
  state: GrantState;
}

interface Row {
  invitation_id: string;
  applicant_stream: string;
  agency: string;
  receipt_number: string;
  email_hint: string;
  invited_at: Date;
  invitation_expires_at: Date;
  access_until: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

/** Reads the helper grants read model; what is in force is decided against `clock`. */
export class PostgresHelperGrants {
  private readonly table: string;

  constructor(private readonly options: { connection: Pool; schema?: string; clock?: () => Date }) {
    const schema = options.schema ?? helperGrants.schema;
    assertSchemaName(schema);
    this.table = `${quoteIdent(schema)}.grants`;
  }

  /** The grants a person gave for one case, the latest first. */
  async grantsOf(applicantStream: string, agency: string, receiptNumber: string): Promise<HelperGrant[]> {
    const { rows } = await this.options.connection.query<Row>(
      `SELECT * FROM ${this.table} WHERE applicant_stream = $1 AND agency = $2 AND receipt_number = $3 ORDER BY invited_at DESC, invitation_id`,
      [applicantStream, agency, receiptNumber],
    );
    return rows.map((row) => this.viewOf(row));
  }

  /** One grant the person gave, or null. */
  async grantOf(applicantStream: string, invitationId: string): Promise<HelperGrant | null> {
    const { rows } = await this.options.connection.query<Row>(`SELECT * FROM ${this.table} WHERE applicant_stream = $1 AND invitation_id = $2`, [applicantStream, invitationId]);
    return rows[0] ? this.viewOf(rows[0]) : null;
  }

  /** The grants in force now for a helper: accepted, not revoked, not ended; the soonest to end first. */
  async sharedWith(helperStream: string): Promise<HelperGrant[]> {
    const { rows } = await this.options.connection.query<Row>(
      `SELECT * FROM ${this.table} WHERE helper_stream = $1 AND revoked_at IS NULL AND access_until > $2 ORDER BY access_until, invitation_id`,
      [helperStream, this.now()],
    );
    return rows.map((row) => this.viewOf(row)).filter((grant) => grant.state === 'active');
  }

  /** Which invitation (and whose) a link's token hash belongs to. */
  async invitationOf(tokenHash: string): Promise<{ applicantStream: string; invitationId: string } | null> {
    const { rows } = await this.options.connection.query<Row>(`SELECT invitation_id, applicant_stream FROM ${this.table} WHERE token_hash = $1`, [tokenHash]);
    return rows[0] ? { applicantStream: rows[0].applicant_stream, invitationId: rows[0].invitation_id } : null;
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  private viewOf(row: Row): HelperGrant {
    const grant = {
      invitationId: row.invitation_id,
      agency: row.agency,
      receiptNumber: row.receipt_number,
      emailHint: row.email_hint,
      invitedAt: row.invited_at,
      invitationExpiresAt: row.invitation_expires_at,
      accessUntil: row.access_until,
      acceptedAt: row.accepted_at,
      revokedAt: row.revoked_at,
    };
    return { ...grant, state: grantState({ ...grant, accepted: row.accepted_at !== null, revoked: row.revoked_at !== null }, this.now()) };
  }
}
