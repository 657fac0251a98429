export * from './smtp-capture';
export * from './webhook-receiver';
export * from './mime';
export * from './fixtures';
export * from './support';
export * from './kafka-topics';
// The consumer's own write (event + one delivery per matching subscriber), so tests of the
// read side (the delivery log through an API) can queue deliveries without running Kafka.
export { DeliveryStore } from '../lib/delivery-store';
