import type { Language } from '@case-status/case-domain';
import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { SUBSCRIPTION_SERVICE, type ConfirmResult, type UnsubscribeResult } from '@case-status/notifications';
import { agencyOfReceipt } from '../shared/arguments';
import { calling, unavailable } from './notification-errors';
import { StatusApiError } from '../shared/status-errors';
import { CaseSubscriptionRequest, ConfirmedSubscription, EndedSubscription } from './notification.models';
import type { NotificationSubscriptions } from './notifications.options';
import { LanguageEnum } from '../shared/shared.models';

/**
 * Email subscriptions for members of the public: double opt-in (a code and a link are
 * emailed) and unsubscribe by the token in every notification. Public, rate-limited.
 */
@Resolver()
export class EmailSubscriptionsResolver {
  constructor(@Inject(SUBSCRIPTION_SERVICE) private readonly subscriptions: NotificationSubscriptions | null) {}

  private get service(): NotificationSubscriptions {
    if (!this.subscriptions) throw unavailable();
    return this.subscriptions;
  }

  @Mutation(() => CaseSubscriptionRequest, {
    nullable: true,
    description:
      'Asks for an email whenever the case’s status changes. Emails a 6-digit code and a confirmation link, unless the address already gets the updates or asked too often; the answer is the same either way. Nothing is sent about the case before confirmation. Public.',
  })
  async subscribeToCase(
    @Args('receiptNumber') receiptNumber: string,
    @Args('email') email: string,
    @Args('language', { type: () => LanguageEnum, defaultValue: 'en', description: 'Language of the emails.' }) language: Language,
  ): Promise<CaseSubscriptionRequest> {
    const service = this.service;
    const agency = agencyOfReceipt(receiptNumber);
    const answer = await calling(() => service.subscribe({ agency: agency.code, receiptNumber, email, language }));
    return { ...answer, subscriptionId: null };
  }

  @Mutation(() => ConfirmedSubscription, { nullable: true, description: 'Confirms with the token of the link in the confirmation email. Public.' })
  confirmSubscription(@Args('token') token: string): Promise<ConfirmResult> {
    const service = this.service;
    return calling(() => service.confirm(token));
  }

  @Mutation(() => ConfirmedSubscription, {
    nullable: true,
    description:
      'Confirms with the 6-digit code from the confirmation email, for the receiptNumber and email it was sent to; 5 wrong codes and a new one must be requested. Public.',
  })
  confirmSubscriptionCode(
    @Args('code') code: string,
    @Args('receiptNumber', { type: () => String, nullable: true, description: 'The case subscribed to (with email).' }) receiptNumber: string | null,
    @Args('email', { type: () => String, nullable: true, description: 'The address the code was sent to (with receiptNumber).' }) email: string | null,
    @Args('subscriptionId', { type: () => String, nullable: true, deprecationReason: 'subscribeToCase no longer answers an id: pass receiptNumber and email.' })
    subscriptionId: string | null,
  ): Promise<ConfirmResult> {
    const service = this.service;
    if (receiptNumber != null && email != null) {
      const agency = agencyOfReceipt(receiptNumber);
      return calling(() => service.confirmCodeForAddress({ agency: agency.code, receiptNumber, email }, code));
    }
    if (subscriptionId != null) return calling(() => service.confirmCode(subscriptionId, code));
    throw new StatusApiError('BAD_USER_INPUT', 'Say which subscription the code confirms: give receiptNumber and email.', { argument: receiptNumber == null ? 'receiptNumber' : 'email' });
  }

  @Mutation(() => EndedSubscription, { nullable: true, description: 'Ends a subscription with the token of the unsubscribe link in every notification, and erases the address. Public.' })
  unsubscribe(@Args('token') token: string): Promise<UnsubscribeResult> {
    const service = this.service;
    return calling(() => service.unsubscribe(token));
  }
}
