import { Inject, UseGuards } from '@nestjs/common';
import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import type { DeliveryActor } from '@case-status/notifications';
import { checkIntegerInRange } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';
import { CaseworkerGuard, CurrentCaseworker } from '../caseworker/caseworker.guard';
import { unavailable } from './notification-errors';
import { AgencyWebhook, DeliveryAction, RedriveResult } from './notification.models';
import { DELIVERY_ACTIONS, type NotificationDeliveryActions } from './notifications.options';

const MAX_ACTIONS = 100;

const actorOf = (caseworker: AgencyPrincipal): DeliveryActor => ({ agency: caseworker.agency.code, actor: caseworker.subject });

/** Another agency's id and an id that names nothing are answered alike. */
function notFound(what: 'delivery' | 'webhook endpoint', argument: string, agency: string): StatusApiError {
  return new StatusApiError('NOT_FOUND', `No ${agency} ${what} has this id.`, { argument });
}

/**
 * What agency staff do about their agency's deliveries: list its webhook endpoints, put dead
 * letters back in the queue, pause and resume endpoints, and read the record of those actions.
 * Every action is recorded under the token's subject; the agency is always the token's.
 */
@Resolver()
@UseGuards(CaseworkerGuard)
export class DeliveryActionsResolver {
  constructor(@Inject(DELIVERY_ACTIONS) private readonly actions: NotificationDeliveryActions | null) {}

  private get ready(): NotificationDeliveryActions {
    if (!this.actions) throw unavailable();
    return this.actions;
  }

  @Query(() => [AgencyWebhook], { nullable: true, description: 'Every active webhook endpoint of the caseworker’s agency, oldest first, without secrets. Caseworkers only.', complexity: 50 })
  agencyWebhooks(@CurrentCaseworker() caseworker: AgencyPrincipal): Promise<AgencyWebhook[]> {
    return this.ready.endpoints(caseworker.agency.code);
  }

  @Query(() => [DeliveryAction], { nullable: true, description: 'Re-drives, pauses and resumes by the caseworker’s agency’s staff, newest first (up to 100). Caseworkers only.' })
  async deliveryActions(@CurrentCaseworker() caseworker: AgencyPrincipal, @Args('first', { type: () => Int, defaultValue: 20 }) first: number): Promise<DeliveryAction[]> {
    checkIntegerInRange(first, 1, MAX_ACTIONS, 'first');
    return this.ready.recent(caseworker.agency.code, first);
  }

  @Mutation(() => RedriveResult, { description: 'Puts one dead-lettered delivery of the agency back in the queue, recorded under the caller. Caseworkers only.' })
  async redriveDelivery(@CurrentCaseworker() caseworker: AgencyPrincipal, @Args('id') id: string): Promise<RedriveResult> {
    const result = await this.ready.redriveDelivery(actorOf(caseworker), id);
    if (!result) throw notFound('delivery', 'id', caseworker.agency.code);
    return result;
  }

  @Mutation(() => RedriveResult, { description: 'Puts every dead letter of one of the agency’s webhook endpoints back in the queue, recorded under the caller. Caseworkers only.' })
  async redriveDeadLetters(@CurrentCaseworker() caseworker: AgencyPrincipal, @Args('endpointId') endpointId: string): Promise<RedriveResult> {
    const result = await this.ready.redriveEndpoint(actorOf(caseworker), endpointId);
    if (!result) throw notFound('webhook endpoint', 'endpointId', caseworker.agency.code);
    return result;
  }

  @Mutation(() => AgencyWebhook, { description: 'Holds the deliveries of one of the agency’s webhook endpoints in the queue, in order, until it is resumed. Caseworkers only.' })
  async pauseWebhook(@CurrentCaseworker() caseworker: AgencyPrincipal, @Args('id') id: string): Promise<AgencyWebhook> {
    const endpoint = await this.ready.pause(actorOf(caseworker), id);
    if (!endpoint) throw notFound('webhook endpoint', 'id', caseworker.agency.code);
    return endpoint;
  }

  @Mutation(() => AgencyWebhook, { description: 'Lets a paused endpoint’s held deliveries go, oldest first. Caseworkers only.' })
  async resumeWebhook(@CurrentCaseworker() caseworker: AgencyPrincipal, @Args('id') id: string): Promise<AgencyWebhook> {
    const endpoint = await this.ready.resume(actorOf(caseworker), id);
    if (!endpoint) throw notFound('webhook endpoint', 'id', caseworker.agency.code);
    return endpoint;
  }
}
