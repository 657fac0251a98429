import type { DeliveryActions, DeliveryLog, RepresentationCheck, SubscriptionService } from '@case-status/notifications';
import type { ProvidedBy } from '../shared/provided-by';

/** What the API calls on the notifications side; `SubscriptionService` provides it. */
export type NotificationSubscriptions = Pick<
  SubscriptionService,
  'subscribe' | 'confirm' | 'confirmCode' | 'confirmCodeForAddress' | 'unsubscribe' | 'registerWebhook' | 'listWebhooks' | 'removeWebhook'
>;

/** The caseworkers' view of deliveries; `DeliveryLog` provides it. */
export type NotificationDeliveryLog = Pick<DeliveryLog, 'query'>;

/** What agency staff do about deliveries; `DeliveryActions` provides it. */
export type NotificationDeliveryActions = Pick<DeliveryActions, 'endpoints' | 'redriveDelivery' | 'redriveEndpoint' | 'pause' | 'resume' | 'recent'>;

export interface StatusNotificationsOptions {
  subscriptions: ProvidedBy<NotificationSubscriptions>;
  deliveryLog: ProvidedBy<NotificationDeliveryLog>;
  /** Re-drive, pause and resume; without it those fields answer NOTIFICATIONS_UNAVAILABLE. */
  deliveryActions?: ProvidedBy<NotificationDeliveryActions>;
  /** Who is of record on which case (`new PostgresRepresentatives(...)` of @case-status/identity): a representative may watch only those cases. */
  representatives: ProvidedBy<RepresentationCheck>;
}

export const DELIVERY_ACTIONS = Symbol('DELIVERY_ACTIONS');
export const REPRESENTATION_CHECK = Symbol('REPRESENTATION_CHECK');
