import { assertSchemaName as assertIdentifier } from '@case-status/postgres-support';

export { quoteIdent } from '@case-status/postgres-support';

/**
 * Schema names end up inside SQL text (identifiers cannot be bound as parameters), so only
 * plain lower-case identifiers are accepted. At most 40 characters: a rebuild derives
 * `<schema>_build_<13 digits>` from it, which must stay under PostgreSQL's 63-byte limit.
 */
export function assertSchemaName(schema: string): void {
  assertIdentifier(schema, 40);
}

/** The channel `pg_notify` announces committed status changes on; one per read-model schema name. */
export function statusChangeChannel(schema: string): string {
  return `${schema}_status_changed`;
}

