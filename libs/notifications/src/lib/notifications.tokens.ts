/** Nest injection tokens for the API side, which provides these from a Notifier or on their own. */
export const SUBSCRIPTION_SERVICE = Symbol('SubscriptionService');
export const DELIVERY_LOG = Symbol('DeliveryLog');
