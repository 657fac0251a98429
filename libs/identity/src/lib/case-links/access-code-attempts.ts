import type { Pool } from 'pg';
import { assertSchemaName, migrateSchema, quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

/**
 * How many wrong access codes are tolerated: per account in a rolling hour; per receipt
 * number, how many *other* accounts may have tried it in a rolling day. Counting accounts, not
 * attempts, keeps one stranger who knows a receipt number from locking its owner out (it would
 * take that many identity-proofed accounts). The per-receipt count holds for numbers that match
 * no case too, so a refusal says nothing about whether a case exists.
 */
export interface AccessCodeAttemptLimits {
  perAccount: { max: number; windowMs: number };
  perCase: { max: number; windowMs: number };
}

const DEFAULT_ACCESS_CODE_ATTEMPT_LIMITS: AccessCodeAttemptLimits = {
  perAccount: { max: 5, windowMs: 3_600_000 },
  perCase: { max: 10, windowMs: 86_400_000 },
};

const MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'access code attempts',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        -- One row per access code attempt that did not (or did not yet) succeed; a success
        -- deletes its own row. Rows older than the longest window are swept.
        CREATE TABLE ${s}.access_code_attempts (
          id        bigserial PRIMARY KEY,
          person    text NOT NULL,
          case_key  text NOT NULL,
          at        timestamptz NOT NULL
        );
        CREATE INDEX access_code_attempts_person ON ${s}.access_code_attempts (person, at);
        CREATE INDEX access_code_attempts_case ON ${s}.access_code_attempts (case_key, at);
        CREATE INDEX access_code_attempts_at ON ${s}.access_code_attempts (at);
      `;
    },
  },
];

/** An attempt under way: settle it once the code is checked. */
export interface Attempt {
  /** A right code does not count against the limits. */
  succeeded(): Promise<void>;
}

export type AttemptAdmission = { admitted: true; attempt: Attempt } | { admitted: false; retryAfterSeconds: number };

/**
 * Counts access code attempts in PostgreSQL, shared by every instance. An attempt is written
 * before the code is checked and counted with the ones before it, so concurrent attempts
 * see each other and no burst gets past the limit.
 */
export class PostgresAccessCodeAttempts {
  private readonly table: string;

  constructor(
    private readonly options: { pool: Pool; schema: string; limits?: AccessCodeAttemptLimits },
  ) {
    assertSchemaName(options.schema);
    this.table = `${quoteIdent(options.schema)}.access_code_attempts`;
  }

  private get limits(): AccessCodeAttemptLimits {
    return this.options.limits ?? DEFAULT_ACCESS_CODE_ATTEMPT_LIMITS;
  }

  async migrate(): Promise<void> {
    await migrateSchema(this.options.pool, this.options.schema, MIGRATIONS, 'case-status/access-code-attempts');
  }

  /** Admits an attempt of `person` on `caseKey` at `now`, or says when to try again. */
  async begin(person: string, caseKey: string, now: Date): Promise<AttemptAdmission> {
    const { perAccount, perCase } = this.limits;
    const { pool } = this.options;
    await pool.query(`DELETE FROM ${this.table} WHERE at < $1`, [new Date(now.getTime() - Math.max(perAccount.windowMs, perCase.windowMs))]);
    const { rows } = await pool.query<{ id: string }>(`INSERT INTO ${this.table} (person, case_key, at) VALUES ($1, $2, $3) RETURNING id::text`, [person, caseKey, now]);
    const id = rows[0].id;
    const counts = await pool.query<{ account: number; case_count: number; account_oldest: Date | null; case_oldest: Date | null }>(
      `SELECT count(*) FILTER (WHERE person = $1 AND at > $3)::int AS account,
              count(DISTINCT person) FILTER (WHERE case_key = $2 AND at > $4 AND person <> $1)::int AS case_count,
              min(at) FILTER (WHERE person = $1 AND at > $3) AS account_oldest,
              min(at) FILTER (WHERE case_key = $2 AND at > $4 AND person <> $1) AS case_oldest
         FROM ${this.table} WHERE (person = $1 AND at > $3) OR (case_key = $2 AND at > $4)`,
      [person, caseKey, new Date(now.getTime() - perAccount.windowMs), new Date(now.getTime() - perCase.windowMs)],
    );
    const { account, case_count, account_oldest, case_oldest } = counts.rows[0];
    const release = async () => void (await pool.query(`DELETE FROM ${this.table} WHERE id = $1`, [id]));
    const waits: number[] = [];
    if (account > perAccount.max && account_oldest) waits.push(account_oldest.getTime() + perAccount.windowMs - now.getTime());
    if (case_count >= perCase.max && case_oldest) waits.push(case_oldest.getTime() + perCase.windowMs - now.getTime());
    if (waits.length > 0) {
      // A refused attempt is not an attempt: it does not push the limit further out.
      await release();
      return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(...waits) / 1000)) };
    }
    return { admitted: true, attempt: { succeeded: release } };
  }
}
