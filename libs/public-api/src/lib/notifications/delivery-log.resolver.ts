import { Inject, UseGuards } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import { DELIVERY_LOG, type DeliveryChannel as DeliveryChannelValue, type DeliveryLogEntry, type DeliveryStatus as DeliveryStatusValue } from '@case-status/notifications';
import type { PublicStatusCode } from '@case-status/case-domain';
import { agencyOfReceipt, checkIntegerInRange } from '../shared/arguments';
import { CaseworkerGuard, CurrentCaseworker } from '../caseworker/caseworker.guard';
import { calling, unavailable } from './notification-errors';
import { DeliveryChannel, DeliveryConnection, DeliveryEntry, DeliveryStatus } from './notification.models';
import { StatusApiError } from '../shared/status-errors';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';
import type { NotificationDeliveryLog } from './notifications.options';

const DEFAULT_PAGE_SIZE = 20;
/** The delivery log's own ceiling. */
const MAX_DELIVERY_PAGE = 100;

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

function entry(e: DeliveryLogEntry): DeliveryEntry {
  return {
    ...e,
    statusCode: e.statusCode as PublicStatusCode,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
    nextAttemptAt: iso(e.nextAttemptAt),
    deliveredAt: iso(e.deliveredAt),
    deadLetteredAt: iso(e.deadLetteredAt),
  };
}

@Resolver()
@UseGuards(CaseworkerGuard)
export class DeliveryLogResolver {
  constructor(
    @Inject(DELIVERY_LOG) private readonly log: NotificationDeliveryLog | null,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
  ) {}

  @Query(() => DeliveryConnection, {
    nullable: true,
    description: 'Email and webhook deliveries of the caseworker’s agency, newest first, a page at a time. No addresses. Caseworkers only.',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * (typeof args['first'] === 'number' ? args['first'] : DEFAULT_PAGE_SIZE),
  })
  async deliveryLog(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('receiptNumber', { type: () => String, nullable: true }) receiptNumber: string | null,
    @Args('status', { type: () => DeliveryStatus, nullable: true }) status: DeliveryStatusValue | null,
    @Args('channel', { type: () => DeliveryChannel, nullable: true }) channel: DeliveryChannelValue | null,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
  ): Promise<DeliveryConnection> {
    const log = this.log;
    if (!log) throw unavailable();
    const agency = caseworker.agency.code;
    if (receiptNumber != null) {
      const owner = agencyOfReceipt(receiptNumber);
      if (owner.code !== agency) {
        throw new StatusApiError('FORBIDDEN', `receiptNumber: ${receiptNumber} is a ${owner.code} case; a ${agency} caseworker sees ${agency} deliveries only.`, { argument: 'receiptNumber' });
      }
    }
    checkIntegerInRange(first, 1, Math.min(MAX_DELIVERY_PAGE, this.settings.maxPageSize), 'first');
    const page = await calling(
      () =>
        log.query({
          agency,
          first,
          ...(receiptNumber != null && { receiptNumber }),
          ...(status != null && { status }),
          ...(channel != null && { channel }),
          ...(after != null && { after }),
        }),
      { INVALID_ARGUMENT: 'after' },
    );
    return { nodes: page.items.map(entry), pageInfo: { hasNextPage: page.nextCursor !== undefined, endCursor: page.nextCursor ?? null } };
  }
}
