import type { DeliveryLog, RepresentationCheck, SubscriptionService } from '@case-status/notifications';
import type { ProvidedBy } from '../shared/provided-by';

/** What the API calls on the notifications side; `SubscriptionService` provides it. */
export type NotificationSubscriptions = Pick<
  SubscriptionService,
  'subscribe' | 'confirm' | 'confirmCode' | 'confirmCodeForAddress' | 'unsubscribe' | 'registerWebhook' | 'listWebhooks' | 'removeWebhook'
>;

/** The caseworkers' view of deliveries; `DeliveryLog` provides it. */
export type NotificationDeliveryLog = Pick<DeliveryLog, 'query'>;

export interface StatusNotificationsOptions {
  subscriptions: ProvidedBy<NotificationSubscriptions>;
  deliveryLog: ProvidedBy<NotificationDeliveryLog>;
  /** Who is of record on which case (`new PostgresRepresentatives(...)` of @case-status/identity): a representative may watch only those cases. */
  representatives: ProvidedBy<RepresentationCheck>;
}

export const REPRESENTATION_CHECK = Symbol('REPRESENTATION_CHECK');
