import type { Pool } from 'pg';
import { quoteIdent } from '@case-status/postgres-support';
import type { DeadLetter, DeadLetterPublisher } from './dead-letter';

/** A dead letter as kept in PostgreSQL. */
export interface StoredDeadLetter {
  id: string;
  key: string | null;
  reason: DeadLetter['reason'];
  failedAt: string;
  letter: DeadLetter;
}

/**
 * Dead letters where there is no Kafka (the one-process platform): the same letters the
 * dead-letter topic would carry, kept in the notifications schema for an operator to read.
 */
export class PostgresDeadLetterPublisher implements DeadLetterPublisher {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${quoteIdent(schema)}.dead_letters`;
  }

  async publish(key: string | null, deadLetter: DeadLetter): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.table} (key, reason, failed_at, letter) VALUES ($1, $2, $3, $4)`, [
      key,
      deadLetter.reason,
      deadLetter.failedAt,
      JSON.stringify(deadLetter),
    ]);
  }

  /** The most recent letters first. */
  async list(limit = 100): Promise<StoredDeadLetter[]> {
    const { rows } = await this.pool.query<{ id: string; key: string | null; reason: DeadLetter['reason']; failed_at: Date; letter: DeadLetter }>(
      `SELECT id, key, reason, failed_at, letter FROM ${this.table} ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ id: String(row.id), key: row.key, reason: row.reason, failedAt: row.failed_at.toISOString(), letter: row.letter }));
  }
}
