export * from './lib/event-store.port';
export { PostgresEventStore, createPostgresEventStore } from './lib/postgres/postgres-event-store';
export { EventStoreDbEventStore } from './lib/eventstoredb/eventstoredb-event-store';
export * from './lib/event-store-settings';
