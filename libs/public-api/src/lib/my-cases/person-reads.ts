import type { GraphQLResolveInfo } from 'graphql';
import type { AccessRead, AssertedPerson } from '@case-status/identity';
import type { AccessAuditLog } from '../access-audit/access-audit.options';
import { audited, selectedFields } from '../access-audit/private-reads';
import { PRIVATE_FIELDS } from '../lookup/case-private-details.resolver';

/** How a person was admitted to one case: the grant, and for a representative or a helper which one and by what name. */
export type PersonGrant = Pick<AccessRead, 'grant' | 'grantId' | 'readerName'>;

/**
 * Records, before they are served, the private details a signed-in person's answer carries
 * (My cases, My clients, Shared with me): one entry per case whose `privateDetails` is served,
 * with the private fields the query selected and the grant `grantOf` gives for that case.
 */
export async function auditPersonReads<T extends { agency: string; receiptNumber: string; privateDetails: unknown }>(
  audit: AccessAuditLog | null,
  info: GraphQLResolveInfo,
  person: AssertedPerson,
  cases: readonly T[],
  grantOf: (shown: T, index: number) => PersonGrant,
): Promise<T[]> {
  const fields = selectedFields(info, ['privateDetails']).filter((field) => PRIVATE_FIELDS.has(field));
  const reader = { issuer: person.issuer, subject: person.subject };
  await audited(
    audit,
    cases.flatMap((shown, index) => (shown.privateDetails ? [{ agency: shown.agency, receiptNumber: shown.receiptNumber, reader, fields, ...grantOf(shown, index) }] : [])),
  );
  return [...cases];
}
