import type { PostgresAccessAudit } from '@case-status/identity';

/** The access audit as the API uses it; `PostgresAccessAudit` provides it. */
export type AccessAuditLog = Pick<PostgresAccessAudit, 'record' | 'ofCase' | 'ofAgency'>;

export const ACCESS_AUDIT = Symbol('ACCESS_AUDIT');
