import { randomUUID } from 'node:crypto';
import { encodeCaseStatusChanged, type CaseStatusChangedV1, type OutgoingKafkaRecord } from '@case-status/integration-events';
import { changeOf } from '@case-status/integration-events/testing';
import { silentLogger } from '@case-status/logging';
import type { Pool } from 'pg';
import { SubscriptionService } from '../lib/subscription.service';

export { statusChanged } from '@case-status/integration-events/testing';

/** A Kafka message exactly as the relay produces it: CloudEvents binary mode, key = stream id. */
export function statusChangedKafkaMessage(data: CaseStatusChangedV1, id: string = randomUUID()): OutgoingKafkaRecord {
  return encodeCaseStatusChanged(changeOf(data, id));
}

/**
 * Registers a USCIS-wide webhook to `url` on the notifier tables of `schema`, as the status API
 * would for an agency, with http and local addresses allowed (a test receiver): for suites and
 * benchmarks that run the notifier app and only need a subscriber. Returns its signing secret.
 */
export async function registerAgencyWebhook(options: { pool: Pool; schema: string; url: string; owner: string }): Promise<string> {
  const subscriptions = new SubscriptionService({
    pool: options.pool,
    schema: options.schema,
    email: { send: () => Promise.reject(new Error('webhooks only: no email here')), close: () => undefined },
    publicBaseUrl: 'http://127.0.0.1:9',
    webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: true },
    logger: silentLogger,
  });
  const registered = await subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber: null, url: options.url, owner: options.owner });
  return registered.secret;
}
