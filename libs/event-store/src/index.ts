export * from './lib/event-store.port';
export { PostgresEventStore, createPostgresEventStore } from './lib/postgres/postgres-event-store';
export type { PostgresEventStoreOptions, CreatePostgresEventStoreOptions } from './lib/postgres/postgres-event-store';
export { MIGRATIONS } from './lib/postgres/migrations';
export type { Migration } from './lib/postgres/migrations';
export { EventStoreDbEventStore } from './lib/eventstoredb/eventstoredb-event-store';
export * from './lib/event-store-settings';
