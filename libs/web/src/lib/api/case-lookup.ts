import { CaseStatusDocument, type CaseStatusQuery } from './operations.generated';
import { StatusApiProblem, type StatusApiClient } from './status-api.client';

/** A case as the case page shows it (`case.graphql`). */
export type CaseView = NonNullable<CaseStatusQuery['caseStatus']>;

/** The case, or a `NOT_FOUND` problem when the API knows no such case. */
export async function lookUpCase(api: StatusApiClient, receiptNumber: string, clientIp: string | undefined): Promise<CaseView> {
  const { caseStatus } = await api.send(CaseStatusDocument, { receiptNumber }, clientIp);
  if (!caseStatus) throw new StatusApiProblem('NOT_FOUND', `no case ${receiptNumber}`);
  return caseStatus;
}
