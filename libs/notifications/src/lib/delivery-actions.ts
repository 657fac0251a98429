import type { Pool, PoolClient } from 'pg';
import { assertSchemaName, inTransaction, isUuid, quoteIdent } from './sql';

/** An agency's webhook endpoint as its staff manage it: no secret. */
export interface AgencyWebhookEndpoint {
  id: string;
  agency: string;
  /** Null: every case of the agency. */
  receiptNumber: string | null;
  url: string;
  description: string | null;
  /** Who registered it (the token's `sub`). */
  owner: string;
  createdAt: string;
  /** Null while it is delivering. */
  pausedAt: string | null;
  /** Its deliveries whose attempts ran out, waiting for a re-drive. */
  deadLettered: number;
}

/** One staff action on deliveries, as recorded. */
export interface DeliveryActionEntry {
  id: string;
  agency: string;
  actor: string;
  action: 'redrive' | 'pause' | 'resume';
  endpointId: string | null;
  deliveryIds: string[];
  at: string;
}

/** What a re-drive did: the dead letters put back in the queue (none when there were none to re-drive). */
export interface RedriveResult {
  redriven: number;
  action: DeliveryActionEntry | null;
}

/** Who acts, for which agency: the actions touch that agency's deliveries and endpoints only. */
export interface DeliveryActor {
  agency: string;
  actor: string;
}

type ActionRow = { id: string; agency: string; actor: string; action: DeliveryActionEntry['action']; endpoint_id: string | null; delivery_ids: string[]; at: Date };
const actionOf = (row: ActionRow): DeliveryActionEntry => ({
  id: row.id,
  agency: row.agency,
  actor: row.actor,
  action: row.action,
  endpointId: row.endpoint_id,
  deliveryIds: row.delivery_ids,
  at: row.at.toISOString(),
});

/**
 * What agency staff do about deliveries: put dead letters back in the queue (one, or all of an
 * endpoint's), and pause or resume the agency's webhook endpoints. Each action is recorded with
 * who did it and what it touched, in the same transaction as the change. A re-drive takes only
 * deliveries that are dead-lettered when it runs, so two re-drives of the same letter (two
 * clicks, two colleagues) queue it once, and it is delivered once.
 */
export class DeliveryActions {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema = 'notifications',
  ) {
    assertSchemaName(schema);
    this.s = quoteIdent(schema);
  }

  /** The agency's active webhook endpoints, oldest first, with their dead letters counted. */
  async endpoints(agency: string): Promise<AgencyWebhookEndpoint[]> {
    const { rows } = await this.pool.query<{ id: string; agency: string; receipt_number: string | null; url: string; description: string | null; owner: string; created_at: Date; paused_at: Date | null; dead: number }>(
      `SELECT w.id, w.agency, w.receipt_number, w.url, w.description, w.owner, w.created_at, w.paused_at,
              (SELECT count(*)::int FROM ${this.s}.deliveries d WHERE d.subscription_id = w.id AND d.status = 'dead_lettered') AS dead
         FROM ${this.s}.webhook_endpoints w
        WHERE w.agency = $1 AND w.status = 'active'
        ORDER BY w.created_at, w.id`,
      [agency],
    );
    return rows.map((r) => ({
      id: r.id,
      agency: r.agency,
      receiptNumber: r.receipt_number,
      url: r.url,
      description: r.description,
      owner: r.owner,
      createdAt: r.created_at.toISOString(),
      pausedAt: r.paused_at?.toISOString() ?? null,
      deadLettered: r.dead,
    }));
  }

  /** Re-queues one dead-lettered delivery of the agency; `null` when the agency has no delivery with that id. */
  redriveDelivery(by: DeliveryActor, deliveryId: string): Promise<RedriveResult | null> {
    return this.redrive(by, 'd.id = $2::uuid', deliveryId, null);
  }

  /** Re-queues every dead letter of one of the agency's webhook endpoints; `null` when the agency has no such endpoint. */
  redriveEndpoint(by: DeliveryActor, endpointId: string): Promise<RedriveResult | null> {
    return this.redrive(by, `d.subscription_id = $2::uuid AND d.channel = 'webhook'`, endpointId, endpointId);
  }

  private async redrive(by: DeliveryActor, match: string, id: string, endpointId: string | null): Promise<RedriveResult | null> {
    if (!isUuid(id)) return null;
    return inTransaction(this.pool, async (client) => {
      const known = endpointId
        ? await client.query(`SELECT 1 FROM ${this.s}.webhook_endpoints WHERE id = $1 AND agency = $2 AND status = 'active'`, [endpointId, by.agency])
        : await client.query(`SELECT 1 FROM ${this.s}.deliveries WHERE id = $1 AND agency = $2`, [id, by.agency]);
      if (known.rowCount === 0) return null;
      // Back to the start: the next attempt is the first of a new round of retries.
      const { rows } = await client.query<{ id: string }>(
        `UPDATE ${this.s}.deliveries d
            SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL, dead_lettered_at = NULL, updated_at = now()
          WHERE d.agency = $1 AND d.status = 'dead_lettered' AND ${match}
          RETURNING d.id`,
        [by.agency, id],
      );
      if (rows.length === 0) return { redriven: 0, action: null };
      const action = await this.record(client, by, 'redrive', endpointId, rows.map((r) => r.id));
      return { redriven: rows.length, action };
    });
  }

  /** Holds the endpoint's deliveries in the queue (they keep their order) until it is resumed; `null` when the agency has no such endpoint. */
  pause(by: DeliveryActor, endpointId: string): Promise<AgencyWebhookEndpoint | null> {
    return this.setPaused(by, endpointId, true);
  }

  /** Lets the endpoint's held deliveries go, oldest first; `null` when the agency has no such endpoint. */
  resume(by: DeliveryActor, endpointId: string): Promise<AgencyWebhookEndpoint | null> {
    return this.setPaused(by, endpointId, false);
  }

  private async setPaused(by: DeliveryActor, endpointId: string, paused: boolean): Promise<AgencyWebhookEndpoint | null> {
    if (!isUuid(endpointId)) return null;
    const changed = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ was_paused: boolean }>(
        `SELECT paused_at IS NOT NULL AS was_paused FROM ${this.s}.webhook_endpoints WHERE id = $1 AND agency = $2 AND status = 'active' FOR UPDATE`,
        [endpointId, by.agency],
      );
      if (rows.length === 0) return false;
      // Pausing a paused endpoint (or resuming a running one) changes nothing and records nothing.
      if (rows[0].was_paused === paused) return true;
      await client.query(`UPDATE ${this.s}.webhook_endpoints SET paused_at = ${paused ? 'now()' : 'NULL'} WHERE id = $1`, [endpointId]);
      await this.record(client, by, paused ? 'pause' : 'resume', endpointId, []);
      return true;
    });
    if (!changed) return null;
    return (await this.endpoints(by.agency)).find((endpoint) => endpoint.id === endpointId) ?? null;
  }

  /** The agency's recorded actions, newest first. */
  async recent(agency: string, limit: number): Promise<DeliveryActionEntry[]> {
    const { rows } = await this.pool.query<ActionRow>(
      `SELECT id::text, agency, actor, action, endpoint_id, delivery_ids, at FROM ${this.s}.delivery_actions WHERE agency = $1 ORDER BY id DESC LIMIT $2`,
      [agency, limit],
    );
    return rows.map(actionOf);
  }

  private async record(client: PoolClient, by: DeliveryActor, action: DeliveryActionEntry['action'], endpointId: string | null, deliveryIds: string[]): Promise<DeliveryActionEntry> {
    const { rows } = await client.query<ActionRow>(
      `INSERT INTO ${this.s}.delivery_actions (agency, actor, action, endpoint_id, delivery_ids) VALUES ($1, $2, $3, $4, $5::uuid[])
       RETURNING id::text, agency, actor, action, endpoint_id, delivery_ids, at`,
      [by.agency, by.actor, action, endpointId, deliveryIds],
    );
    return actionOf(rows[0]);
  }
}
