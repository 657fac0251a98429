import type { JsonObject, RecordedEvent } from '../event-store.port';

/**
 * Schema names end up inside SQL text (identifiers cannot be bound as parameters), so only
 * plain lower-case identifiers are accepted; short enough that derived names stay under
 * PostgreSQL's 63-byte limit.
 */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,47}$/.test(schema)) {
    throw new TypeError(`invalid schema name "${schema}": use 1-48 characters of a-z, 0-9 and _, not starting with a digit`);
  }
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The NOTIFY channel subscribers of this schema LISTEN on. */
export function channelFor(schema: string): string {
  return `${schema}_appended`;
}

/** `prefix%`, with LIKE's own wildcards in the prefix matched literally. */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
}

/** int8 and xid8 come back from pg as text; they are parsed straight to bigint, never through Number. */
export interface EventRow {
  event_id: string;
  stream_id: string;
  stream_revision: string;
  transaction_id: string;
  seq: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: Date;
}

export const EVENT_COLUMNS =
  'event_id::text, stream_id, stream_revision::text, transaction_id::text, seq::text, type, data, metadata, recorded_at';

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    revision: BigInt(row.stream_revision),
    position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.seq) },
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
