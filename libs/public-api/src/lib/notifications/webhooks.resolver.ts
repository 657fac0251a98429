import { Inject, UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import { SUBSCRIPTION_SERVICE, type RepresentationCheck, type WebhookEndpointView } from '@case-status/notifications';
import { agencyOfReceipt } from '../shared/arguments';
import { CASEWORKER_ROLE, CurrentCaseworker, WebhookOwnerGuard } from '../caseworker/caseworker.guard';
import { calling, unavailable } from './notification-errors';
import { RegisteredWebhook, WebhookEndpoint } from './notification.models';
import { StatusApiError } from '../shared/status-errors';
import { REPRESENTATION_CHECK, type NotificationSubscriptions } from './notifications.options';

/** Endpoints belong to one token holder of one agency; subjects are only unique per agency. */
const ownerOf = (principal: AgencyPrincipal) => `${principal.agency.code}:${principal.subject}`;

function shown<T extends WebhookEndpointView>(endpoint: T): Omit<T, 'createdAt'> & { createdAt: string } {
  return { ...endpoint, createdAt: endpoint.createdAt.toISOString() };
}

/**
 * Signed webhooks for representatives and agencies. Who may watch what is decided here, from
 * the agency token: a case of the token's own agency, and every case of the agency only for
 * agency staff (the `caseworker` role).
 */
@Resolver()
@UseGuards(WebhookOwnerGuard)
export class WebhooksResolver {
  constructor(
    @Inject(SUBSCRIPTION_SERVICE) private readonly subscriptions: NotificationSubscriptions | null,
    @Inject(REPRESENTATION_CHECK) private readonly representatives: RepresentationCheck | null,
  ) {}

  private get service(): NotificationSubscriptions {
    if (!this.subscriptions) throw unavailable();
    return this.subscriptions;
  }

  @Mutation(() => RegisteredWebhook, {
    nullable: true,
    description: 'Registers an https endpoint for one case, or (agency staff only, no receiptNumber) every case of the agency. Answers the signing secret this once. Caseworkers and representatives.',
  })
  async registerWebhook(
    @CurrentCaseworker() principal: AgencyPrincipal,
    @Args('url') url: string,
    @Args('receiptNumber', { type: () => String, nullable: true, description: 'A case of the token’s agency; leave out for every case (agency staff only).' })
    receiptNumber: string | null,
    @Args('description', { type: () => String, nullable: true, description: 'Up to 200 characters, for your own records.' }) description: string | null,
  ): Promise<RegisteredWebhook> {
    const service = this.service;
    const agency = principal.agency.code;
    if (receiptNumber == null) {
      if (!principal.roles.has(CASEWORKER_ROLE)) {
        throw new StatusApiError('FORBIDDEN', `receiptNumber: only ${agency} staff (the "${CASEWORKER_ROLE}" role) may watch every ${agency} case; name the case to watch.`, {
          argument: 'receiptNumber',
        });
      }
    } else {
      const owner = agencyOfReceipt(receiptNumber);
      if (owner.code !== agency) {
        throw new StatusApiError('FORBIDDEN', `receiptNumber: ${receiptNumber} is a ${owner.code} case; a ${agency} token may only watch ${agency} cases.`, { argument: 'receiptNumber' });
      }
    }
    // Staff watch their agency's cases; a representative only a case they are of record on, and
    // deliveries stop when they no longer are (the notifier asks again before each one).
    const representativeId = principal.roles.has(CASEWORKER_ROLE) ? undefined : principal.subject;
    if (representativeId !== undefined && !(receiptNumber != null && (await this.representatives?.isOfRecord(agency, receiptNumber, representativeId)))) {
      throw new StatusApiError('FORBIDDEN', `receiptNumber: ${agency} has no record of ${representativeId} as a representative on ${receiptNumber}; a representative may watch only the cases they are of record on.`, {
        argument: 'receiptNumber',
      });
    }
    const registered = await calling(() =>
      service.registerWebhook({ agency, receiptNumber, url, owner: ownerOf(principal), ...(description != null && { description }), ...(representativeId !== undefined && { representativeId }) }),
      { INVALID_ARGUMENT: 'description' },
    );
    return shown(registered);
  }

  @Query(() => [WebhookEndpoint], { nullable: true, description: 'The endpoints this token’s holder registered, without their secrets. Caseworkers and representatives.' })
  async webhooks(@CurrentCaseworker() principal: AgencyPrincipal): Promise<WebhookEndpoint[]> {
    const service = this.service;
    return (await calling(() => service.listWebhooks(ownerOf(principal)))).map(shown);
  }

  @Mutation(() => Boolean, { nullable: true, description: 'Stops deliveries to one of your endpoints; deliveries still queued for it are canceled. Caseworkers and representatives.' })
  async removeWebhook(@CurrentCaseworker() principal: AgencyPrincipal, @Args('id') id: string): Promise<boolean> {
    const service = this.service;
    await calling(() => service.removeWebhook(id, ownerOf(principal)));
    return true;
  }
}
