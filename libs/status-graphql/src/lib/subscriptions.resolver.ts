import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { SUBSCRIPTION_SERVICE, type ConfirmResult, type SubscribeResult, type UnsubscribeResult } from '@case-status/notifications';
import { agencyOfReceipt } from './arguments';
import { calling, unavailable } from './notification-errors';
import { CaseSubscriptionRequest, ConfirmedSubscription, EndedSubscription } from './notification.models';
import type { NotificationSubscriptions } from './status-graphql.options';
import { Language } from './status.models';

/**
 * Email subscriptions for members of the public: double opt-in (a code and a link are
 * emailed) and unsubscribe by the token in every notification. Public, rate-limited.
 */
@Resolver()
export class SubscriptionsResolver {
  constructor(@Inject(SUBSCRIPTION_SERVICE) private readonly subscriptions: NotificationSubscriptions | null) {}

  private get service(): NotificationSubscriptions {
    if (!this.subscriptions) throw unavailable();
    return this.subscriptions;
  }

  @Mutation(() => CaseSubscriptionRequest, {
    nullable: true,
    description: 'Asks for an email whenever the case’s status changes. Emails a 6-digit code and a confirmation link; nothing is sent about the case before confirmation. Public.',
  })
  subscribeToCase(
    @Args('receiptNumber') receiptNumber: string,
    @Args('email') email: string,
    @Args('language', { type: () => Language, defaultValue: Language.EN, description: 'Language of the emails.' }) language: Language,
  ): Promise<SubscribeResult> {
    const service = this.service;
    const agency = agencyOfReceipt(receiptNumber);
    return calling(() => service.subscribe({ agency: agency.code, receiptNumber, email, language }));
  }

  @Mutation(() => ConfirmedSubscription, { nullable: true, description: 'Confirms with the token of the link in the confirmation email. Public.' })
  confirmSubscription(@Args('token') token: string): Promise<ConfirmResult> {
    const service = this.service;
    return calling(() => service.confirm(token));
  }

  @Mutation(() => ConfirmedSubscription, { nullable: true, description: 'Confirms with the 6-digit code from the confirmation email; 5 wrong codes and a new one must be requested. Public.' })
  confirmSubscriptionCode(@Args('subscriptionId') subscriptionId: string, @Args('code') code: string): Promise<ConfirmResult> {
    const service = this.service;
    return calling(() => service.confirmCode(subscriptionId, code));
  }

  @Mutation(() => EndedSubscription, { nullable: true, description: 'Ends a subscription with the token of the unsubscribe link in every notification, and erases the address. Public.' })
  unsubscribe(@Args('token') token: string): Promise<UnsubscribeResult> {
    const service = this.service;
    return calling(() => service.unsubscribe(token));
  }
}
