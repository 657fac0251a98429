import { Inject, UseGuards } from '@nestjs/common';
import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import { caseStreamId } from '@case-status/case-domain';
import type { EventStore, JsonObject, RecordedEvent } from '@case-status/event-store';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { ACCESS_AUDIT, type AccessAuditLog } from '../access-audit/access-audit.options';
import { audited, selectedFields } from '../access-audit/private-reads';
import { findCase } from '../lookup/case-status.resolver';
import { agencyOfReceipt } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';
import { CaseworkerGuard, CurrentCaseworker } from './caseworker.guard';
import { CaseEventRecord } from './caseworker.models';

/** Reads a case's stream for its full record; null where the status API has no event store. */
export const CASE_EVENTS = Symbol('CASE_EVENTS');
export type CaseEventSource = Pick<EventStore, 'readStream'>;

/** A case has a few dozen events; a stream longer than this is read up to here, oldest first. */
const MAX_EVENTS = 1_000;
const NOT_KEPT = '[not kept]';
/** What of an event can hold private details (evidence asked for, appointment places): reading it is audited. */
const PRIVATE_EVENT_FIELDS = new Set(['data', 'metadata']);

/**
 * The event's data without an access code hash: the hash is kept in the case's stream only,
 * where the access code check reads it, and is shown to nobody, staff included.
 */
function withoutAccessCodeHash(data: JsonObject): JsonObject {
  return Object.hasOwn(data, 'accessCodeHash') ? { ...data, accessCodeHash: NOT_KEPT } : data;
}

function caseEventRecord(event: RecordedEvent): CaseEventRecord {
  const occurredAt = event.metadata['occurredAt'];
  return {
    revision: Number(event.revision),
    type: event.type,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : null,
    recordedAt: event.recordedAt.toISOString(),
    data: JSON.stringify(withoutAccessCodeHash(event.data)),
    metadata: JSON.stringify(event.metadata),
  };
}

/**
 * Every event of a case, the ones the public never sees included, for the caseworkers of its
 * agency: the full record the console shows. Another agency's receipt number is refused before
 * anything is read, so a refusal says nothing about whether the case exists.
 */
@Resolver()
@UseGuards(CaseworkerGuard)
export class CaseEventsResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CASE_EVENTS) private readonly events: CaseEventSource | null,
    @Inject(ACCESS_AUDIT) private readonly audit: AccessAuditLog | null,
  ) {}

  @Query(() => [CaseEventRecord], {
    nullable: true,
    description: 'Every stored event of a case, oldest first (up to 1,000), non-public ones included; access code hashes never. Caseworkers of its agency only.',
    complexity: ({ childComplexity }) => 10 + childComplexity * 50,
  })
  async caseEvents(@CurrentCaseworker() reader: AgencyPrincipal, @Args('receiptNumber') receiptNumber: string, @Info() info: GraphQLResolveInfo): Promise<CaseEventRecord[]> {
    const agency = agencyOfReceipt(receiptNumber);
    if (agency.code !== reader.agency.code) {
      throw new StatusApiError('FORBIDDEN', `A ${reader.agency.code} caseworker may only read ${reader.agency.code} cases.`, { argument: 'receiptNumber' });
    }
    if (!this.events) throw new StatusApiError('CASE_RECORD_UNAVAILABLE', 'This server has no access to the event store: a case’s full record is not available here.');
    const view = await findCase(this.queries, receiptNumber);
    const events = await this.events.readStream(caseStreamId(view.agency, view.receiptNumber), { maxCount: MAX_EVENTS });
    const fields = selectedFields(info)
      .filter((field) => PRIVATE_EVENT_FIELDS.has(field))
      .map((field) => `caseEvents.${field}`);
    await audited(this.audit, [{ agency: view.agency, receiptNumber: view.receiptNumber, reader: { agency: reader.agency.code, subject: reader.subject }, grant: 'caseworker', fields }]);
    return events.map(caseEventRecord);
  }
}
