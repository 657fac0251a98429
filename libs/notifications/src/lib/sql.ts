export { assertSchemaName, inTransaction, quoteIdent } from '@case-status/postgres-support';
