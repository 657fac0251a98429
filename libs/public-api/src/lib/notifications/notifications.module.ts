import { Module, type DynamicModule } from '@nestjs/common';
import { DELIVERY_LOG, SUBSCRIPTION_SERVICE } from '@case-status/notifications';
import { provide } from '../shared/provided-by';
import { DeliveryLogResolver } from './delivery-log.resolver';
import { EmailSubscriptionsResolver } from './email-subscriptions.resolver';
import { DELIVERY_ACTIONS, REPRESENTATION_CHECK, type StatusNotificationsOptions } from './notifications.options';
import { DeliveryActionsResolver } from './delivery-actions.resolver';
import { WebhooksResolver } from './webhooks.resolver';

/**
 * Notifications over the notifications lib: the public's email subscriptions, webhooks for
 * agency token holders and the caseworkers' delivery log. Without `options` the fields stay
 * in the schema and answer NOTIFICATIONS_UNAVAILABLE.
 */
@Module({})
export class NotificationsModule {
  static forRoot(options: StatusNotificationsOptions | undefined): DynamicModule {
    return {
      module: NotificationsModule,
      providers: [
        options ? provide(SUBSCRIPTION_SERVICE, options.subscriptions) : { provide: SUBSCRIPTION_SERVICE, useValue: null },
        options ? provide(DELIVERY_LOG, options.deliveryLog) : { provide: DELIVERY_LOG, useValue: null },
        options?.deliveryActions ? provide(DELIVERY_ACTIONS, options.deliveryActions) : { provide: DELIVERY_ACTIONS, useValue: null },
        options ? provide(REPRESENTATION_CHECK, options.representatives) : { provide: REPRESENTATION_CHECK, useValue: null },
        EmailSubscriptionsResolver,
        WebhooksResolver,
        DeliveryLogResolver,
        DeliveryActionsResolver,
      ],
    };
  }
}
