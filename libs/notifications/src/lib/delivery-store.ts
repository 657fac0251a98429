import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { CASE_STATUS_CHANGED_V1, type CaseStatusChangedV1, type ReceivedCaseStatusChange } from '@case-status/integration-events';
import { readTraceContext } from '@case-status/logging';
import { recordTraced } from './delivery-tracing';
import type { Language } from '@case-status/case-domain';
import { defaultNotificationKeys, type NotificationKeys } from './notification-keys';
import { assertSchemaName, inTransaction, quoteIdent } from './sql';

export type DeliveryChannel = 'email' | 'webhook';
export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'dead_letter_pending' | 'dead_lettered' | 'canceled';

/** Where a claimed delivery goes; `active` is false once the subscriber left. */
export type DeliveryTarget =
  | { channel: 'email'; active: boolean; email: string | null; language: Language; unsubscribeToken: string }
  | {
      channel: 'webhook';
      active: boolean;
      url: string;
      secret: string;
      representative: { agency: string; receiptNumber: string; representativeId: string } | null;
      /** The agency's endpoint for every case of the agency (only its staff may register one). */
      agencyWide: boolean;
    };

/** A delivery one worker holds (until its lease ends) to attempt or dead-letter it. */
export interface ClaimedDelivery {
  id: string;
  claimToken: string;
  subscriptionId: string;
  /** Attempts including the one about to be made. */
  attempts: number;
  /** `sending`: attempt it; `dead_letter_pending`: attempts are used up, only publish the dead letter. */
  status: 'sending' | 'dead_letter_pending';
  lastError: string | null;
  change: ReceivedCaseStatusChange;
  target: DeliveryTarget;
}

/**
 * The notifier's durable queue and dedupe table: one row per (event, subscription). The
 * consumer adds rows, workers claim and settle them. Ordering per case and subscription is
 * kept by never claiming a delivery while an earlier one of the same case to the same
 * subscription is still open.
 */
export class DeliveryStore {
  private readonly s: string;
  private readonly keys: NotificationKeys;

  /** `keys` open the webhook secrets and make the unsubscribe tokens (default: the development key, never in production). */
  constructor(
    private readonly pool: Pool,
    schema = 'notifications',
    keys?: NotificationKeys,
  ) {
    assertSchemaName(schema);
    this.s = quoteIdent(schema);
    this.keys = defaultNotificationKeys(keys);
  }

  /**
   * Records the event and one delivery per matching active subscription, in one
   * transaction. A redelivered event adds nothing: the unique (event_id, subscription_id)
   * key makes the insert itself the dedupe decision, so two consumers racing cannot both
   * queue it. Returns how many deliveries were newly queued.
   */
  recordStatusChange(change: ReceivedCaseStatusChange): Promise<number> {
    return this.recordStatusChanges([change]);
  }

  /**
   * The same for a batch of changes (one Kafka fetch of one partition), in one transaction of
   * two statements whatever the batch size: per-message transactions cost a commit (and its
   * fsync) each and could not keep up with a busy topic.
   */
  async recordStatusChanges(changes: readonly ReceivedCaseStatusChange[]): Promise<number> {
    if (changes.length === 0) return 0;
    return recordTraced(changes, CASE_STATUS_CHANGED_V1.topic, (traced) => this.record(traced));
  }

  private record(changes: readonly ReceivedCaseStatusChange[]): Promise<number> {
    const column = <T>(pick: (change: ReceivedCaseStatusChange) => T) => changes.map(pick);
    return inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO ${this.s}.events (event_id, stream_id, stream_revision, source, time, data, traceparent, tracestate)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::text[])
         ON CONFLICT (event_id) DO NOTHING`,
        [
          column((c) => c.eventId),
          column((c) => c.streamId),
          column((c) => c.data.streamRevision),
          column((c) => c.source),
          column((c) => c.time),
          column((c) => JSON.stringify(c.data)),
          column((c) => c.trace?.traceparent ?? null),
          column((c) => c.trace?.tracestate ?? null),
        ],
      );
      // In message order, so per-case order in the queue (stream revision, then seq) holds.
      // Only subscriptions that were active when the change first arrived: a change handed
      // over again (a relay replaying after a crash) must not reach someone who subscribed
      // after it happened.
      const { rowCount } = await client.query(
        `WITH c AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[]) WITH ORDINALITY
             AS c(event_id, agency, receipt_number, stream_id, stream_revision, ord))
         INSERT INTO ${this.s}.deliveries (event_id, subscription_id, channel, agency, receipt_number, stream_id, stream_revision)
         SELECT event_id, subscription_id, channel, agency, receipt_number, stream_id, stream_revision FROM (
           SELECT c.ord, c.event_id, s.id AS subscription_id, 'email' AS channel, s.agency, s.receipt_number, c.stream_id, c.stream_revision
             FROM c JOIN ${this.s}.events e ON e.event_id = c.event_id
             JOIN ${this.s}.email_subscriptions s
               ON s.agency = c.agency AND s.receipt_number = c.receipt_number AND s.status = 'active' AND s.confirmed_at <= e.received_at
           UNION ALL
           SELECT c.ord, c.event_id, w.id, 'webhook', c.agency, c.receipt_number, c.stream_id, c.stream_revision
             FROM c JOIN ${this.s}.events e ON e.event_id = c.event_id
             JOIN ${this.s}.webhook_endpoints w
               ON w.agency = c.agency AND (w.receipt_number IS NULL OR w.receipt_number = c.receipt_number) AND w.status = 'active'
                  AND w.created_at <= e.received_at
           ORDER BY 1) AS matched
         ON CONFLICT ON CONSTRAINT deliveries_dedupe DO NOTHING`,
        [column((c) => c.eventId), column((c) => c.data.agency), column((c) => c.data.receiptNumber), column((c) => c.streamId), column((c) => c.data.streamRevision)],
      );
      return rowCount ?? 0;
    });
  }

  /** Claims the next due delivery, or null. SKIP LOCKED lets several workers claim side by side. */
  async claimNext(leaseMs: number): Promise<ClaimedDelivery | null> {
    const claimToken = randomUUID();
    const { rows } = await this.pool.query<{ id: string; subscription_id: string; attempts: number; status: ClaimedDelivery['status']; last_error: string | null; event_id: string; channel: DeliveryChannel }>(
      `WITH next AS (
         SELECT d.id FROM ${this.s}.deliveries d
          WHERE ((d.status = 'pending' AND d.next_attempt_at <= now())
              OR (d.status = 'sending' AND d.lease_expires_at <= now())
              OR (d.status = 'dead_letter_pending' AND d.next_attempt_at <= now() AND (d.lease_expires_at IS NULL OR d.lease_expires_at <= now())))
            -- A paused endpoint's deliveries wait, in order, until it is resumed.
            AND NOT (d.status = 'pending' AND d.channel = 'webhook'
                     AND EXISTS (SELECT 1 FROM ${this.s}.webhook_endpoints w WHERE w.id = d.subscription_id AND w.paused_at IS NOT NULL))
            AND NOT EXISTS (
              SELECT 1 FROM ${this.s}.deliveries e
               WHERE e.subscription_id = d.subscription_id AND e.stream_id = d.stream_id
                 AND e.status IN ('pending', 'sending')
                 AND (e.stream_revision, e.seq) < (d.stream_revision, d.seq))
          ORDER BY d.next_attempt_at, d.seq
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
       UPDATE ${this.s}.deliveries d
          SET status = CASE WHEN d.status = 'dead_letter_pending' THEN 'dead_letter_pending' ELSE 'sending' END,
              attempts = d.attempts + CASE WHEN d.status = 'dead_letter_pending' THEN 0 ELSE 1 END,
              claim_token = $1, lease_expires_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
         FROM next WHERE d.id = next.id
       RETURNING d.id, d.subscription_id, d.attempts, d.status, d.last_error, d.event_id, d.channel`,
      [claimToken, leaseMs],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    const change = await this.loadChange(row.event_id);
    const target = await this.loadTarget(row.channel, row.subscription_id);
    return { id: row.id, claimToken, subscriptionId: row.subscription_id, attempts: row.attempts, status: row.status, lastError: row.last_error, change, target };
  }

  markDelivered(delivery: ClaimedDelivery): Promise<boolean> {
    return this.settle(delivery, `status = 'delivered', delivered_at = now(), last_error = NULL`, []);
  }

  markRetry(delivery: ClaimedDelivery, delayMs: number, error: string): Promise<boolean> {
    return this.settle(delivery, `status = 'pending', next_attempt_at = now() + make_interval(secs => $3::double precision / 1000), last_error = $4`, [delayMs, error]);
  }

  /** Attempts are used up but the dead letter could not be published yet: try that again later. */
  markDeadLetterPending(delivery: ClaimedDelivery, delayMs: number, error: string): Promise<boolean> {
    return this.settle(delivery, `status = 'dead_letter_pending', next_attempt_at = now() + make_interval(secs => $3::double precision / 1000), last_error = $4`, [delayMs, error]);
  }

  markDeadLettered(delivery: ClaimedDelivery, error: string): Promise<boolean> {
    return this.settle(delivery, `status = 'dead_lettered', dead_lettered_at = now(), last_error = $3`, [error]);
  }

  markCanceled(delivery: ClaimedDelivery, reason: string): Promise<boolean> {
    return this.settle(delivery, `status = 'canceled', last_error = $3`, [reason]);
  }

  /** Only the holder of the claim settles it: a worker whose lease ran out changes nothing. */
  private async settle(delivery: ClaimedDelivery, set: string, params: unknown[]): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.s}.deliveries SET ${set}, claim_token = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND claim_token = $2`,
      [delivery.id, delivery.claimToken, ...params],
    );
    return rowCount === 1;
  }

  private async loadChange(eventId: string): Promise<ReceivedCaseStatusChange> {
    const { rows } = await this.pool.query<{ stream_id: string; source: string; time: string; data: CaseStatusChangedV1; traceparent: string | null; tracestate: string | null }>(
      `SELECT stream_id, source, time, data, traceparent, tracestate FROM ${this.s}.events WHERE event_id = $1`,
      [eventId],
    );
    const row = rows[0];
    const trace = readTraceContext(row.traceparent, row.tracestate);
    return { eventId, streamId: row.stream_id, source: row.source, time: row.time, data: row.data, ...(trace ? { trace } : {}) };
  }

  private async loadTarget(channel: DeliveryChannel, subscriptionId: string): Promise<DeliveryTarget> {
    if (channel === 'email') {
      const { rows } = await this.pool.query<{ status: string; email: string | null; language: Language; unsubscribe_key_id: string | null }>(
        `SELECT status, email, language, unsubscribe_key_id FROM ${this.s}.email_subscriptions WHERE id = $1`,
        [subscriptionId],
      );
      const row = rows[0];
      if (!row) return { channel, active: false, email: null, language: 'en', unsubscribeToken: '' };
      const unsubscribeToken = this.keys.unsubscribeToken(subscriptionId, row.unsubscribe_key_id ?? undefined);
      return { channel, active: row.status === 'active' && row.email !== null, email: row.email, language: row.language, unsubscribeToken };
    }
    const { rows } = await this.pool.query<{ status: string; url: string; secret: string | null; secret_sealed: string | null; agency: string; receipt_number: string | null; representative_id: string | null }>(
      `SELECT status, url, secret, secret_sealed, agency, receipt_number, representative_id FROM ${this.s}.webhook_endpoints WHERE id = $1`,
      [subscriptionId],
    );
    const row = rows[0];
    if (!row) return { channel, active: false, url: '', secret: '', representative: null, agencyWide: false };
    const secret = row.secret_sealed ? this.keys.open(row.secret_sealed, `webhook-secret:${subscriptionId}`) : (row.secret as string);
    const representative = row.representative_id === null ? null : { agency: row.agency, receiptNumber: row.receipt_number ?? '', representativeId: row.representative_id };
    return { channel, active: row.status === 'active', url: row.url, secret, representative, agencyWide: row.receipt_number === null };
  }
}
