export { assertSchemaName, guardPool, inTransaction, quoteIdent } from '@case-status/postgres-support';

/** Ids are UUIDs: anything else names nothing (and is never sent to PostgreSQL as one). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
