export { assertSchemaName, guardPool, inTransaction, quoteIdent } from '@case-status/postgres-support';
