import type { Pool } from 'pg';
import type { Logger } from '@case-status/logging';
import { oneOf, text, url, type ConfigOf } from '@case-status/config';
import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { createPostgresEventStore } from './postgres/postgres-event-store';

/** Which store a service keeps events in: PostgreSQL (a schema of its database) or EventStoreDB. */
export type EventStoreSettings = { kind: 'postgres'; schema: string } | { kind: 'eventstoredb'; url: string };

/** EVENT_STORE, EVENTSTORE_URL and EVENT_STORE_SCHEMA, for the config schema of a service that reads or writes events. */
export const EVENT_STORE_FIELDS = {
  EVENT_STORE: oneOf(['postgres', 'eventstoredb'], 'postgres'),
  EVENTSTORE_URL: url({ protocols: ['esdb', 'esdb+discover', 'kurrentdb', 'kurrentdb+discover'], example: 'esdb://127.0.0.1:2113?tls=false' }),
  EVENT_STORE_SCHEMA: text('event_store'),
};

/** The store the fields name; EVENT_STORE=eventstoredb needs EVENTSTORE_URL. */
export function eventStoreSettingsFrom(values: ConfigOf<typeof EVENT_STORE_FIELDS>): EventStoreSettings {
  if (values.EVENT_STORE === 'postgres') return { kind: 'postgres', schema: values.EVENT_STORE_SCHEMA };
  if (!values.EVENTSTORE_URL) throw new Error('EVENTSTORE_URL is not set, and EVENT_STORE is "eventstoredb"');
  return { kind: 'eventstoredb', url: values.EVENTSTORE_URL };
}

/**
 * Opens the store the settings name. PostgreSQL events live in `database`: a pool shared with
 * the caller (the store never ends it) or a connection string (the store ends its own pool on
 * close); the store's tables are created or brought up to date first. `logger` hears, once per
 * outage, that its subscriptions lost the database and when they are back.
 */
export async function openEventStore(settings: EventStoreSettings, database: Pool | string, logger?: Logger): Promise<EventStore> {
  if (settings.kind === 'eventstoredb') return new EventStoreDbEventStore(settings.url);
  return createPostgresEventStore({ connection: database, schema: settings.schema, logger });
}
