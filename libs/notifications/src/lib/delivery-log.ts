import type { Pool } from 'pg';
import type { DeliveryChannel, DeliveryStatus } from './delivery-store';
import { NotificationError } from './errors';
import { assertSchemaName, quoteIdent } from './sql';

export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'sending', 'delivered', 'dead_letter_pending', 'dead_lettered', 'canceled'];

export interface DeliveryLogQuery {
  agency?: string;
  receiptNumber?: string;
  status?: DeliveryStatus;
  channel?: DeliveryChannel;
  /** Page size, 1-100. Default 20. */
  first?: number;
  /** `nextCursor` of the previous page. */
  after?: string;
}

/** One delivery as caseworkers see it: no email address, no webhook secret. */
export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  subscriptionId: string;
  channel: DeliveryChannel;
  agency: string;
  receiptNumber: string;
  eventType: string;
  statusCode: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  deadLetteredAt: Date | null;
}

export interface DeliveryLogPage {
  items: DeliveryLogEntry[];
  /** Present when there may be more: pass it as `after`. */
  nextCursor?: string;
}

interface Row {
  seq: string;
  id: string;
  event_id: string;
  subscription_id: string;
  channel: DeliveryChannel;
  agency: string;
  receipt_number: string;
  event_type: string;
  status_code: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  next_attempt_at: Date;
  delivered_at: Date | null;
  dead_lettered_at: Date | null;
}

/** Read side of the deliveries table, newest first, keyset-paginated. */
export class DeliveryLog {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema = 'notifications',
  ) {
    assertSchemaName(schema);
    this.s = quoteIdent(schema);
  }

  async query(query: DeliveryLogQuery = {}): Promise<DeliveryLogPage> {
    const first = query.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100) throw new NotificationError('INVALID_ARGUMENT', `first must be an integer from 1 to 100, not ${first}.`);
    if (query.status !== undefined && !DELIVERY_STATUSES.includes(query.status)) {
      throw new NotificationError('INVALID_ARGUMENT', `status must be one of ${DELIVERY_STATUSES.join(', ')}, not "${query.status}".`);
    }
    if (query.channel !== undefined && query.channel !== 'email' && query.channel !== 'webhook') {
      throw new NotificationError('INVALID_ARGUMENT', `channel must be email or webhook, not "${query.channel}".`);
    }
    const conditions: string[] = [];
    const params: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      params.push(value);
      conditions.push(sql.replace('?', `$${params.length}`));
    };
    if (query.agency !== undefined) where('d.agency = ?', query.agency);
    if (query.receiptNumber !== undefined) where('d.receipt_number = ?', query.receiptNumber.trim());
    if (query.status !== undefined) where('d.status = ?', query.status);
    if (query.channel !== undefined) where('d.channel = ?', query.channel);
    if (query.after !== undefined) where('d.seq < ?', decodeCursor(query.after));
    params.push(first + 1);
    const { rows } = await this.pool.query<Row>(
      `SELECT d.seq, d.id, d.event_id, d.subscription_id, d.channel, d.agency, d.receipt_number,
              e.data->>'eventType' AS event_type, e.data->>'statusCode' AS status_code,
              d.status, d.attempts, d.last_error, d.created_at, d.updated_at, d.next_attempt_at, d.delivered_at, d.dead_lettered_at
         FROM ${this.s}.deliveries d JOIN ${this.s}.events e ON e.event_id = d.event_id
        ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY d.seq DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, first);
    const items = page.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      subscriptionId: r.subscription_id,
      channel: r.channel,
      agency: r.agency,
      receiptNumber: r.receipt_number,
      eventType: r.event_type,
      statusCode: r.status_code,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      nextAttemptAt: r.status === 'pending' || r.status === 'dead_letter_pending' ? r.next_attempt_at : null,
      deliveredAt: r.delivered_at,
      deadLetteredAt: r.dead_lettered_at,
    }));
    return rows.length > first ? { items, nextCursor: encodeCursor(page[page.length - 1].seq) } : { items };
  }
}

const encodeCursor = (seq: string) => Buffer.from(`d:${seq}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!/^d:\d{1,19}$/.test(decoded)) throw new NotificationError('INVALID_ARGUMENT', 'after is not a cursor from an earlier page.');
  return decoded.slice(2);
}
