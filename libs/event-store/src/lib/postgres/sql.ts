import type { JsonObject, RecordedEvent } from '../event-store.port';

export { assertSchemaName, quoteIdent } from '@case-status/postgres-support';

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
