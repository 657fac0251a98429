export * from './lib/event-store.port';
export { PostgresEventStore, createPostgresEventStore } from './lib/postgres/postgres-event-store';
export * from './lib/event-store-settings';
export { instrumentEventStore, eventStoreCheck } from './lib/instrumented-event-store';
export { traceEventStore } from './lib/traced-event-store';
