import { Kafka, logLevel, Partitioners, type Admin, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { assertRetryPolicy, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import { deadLetterTopicFor, KafkaDeadLetterPublisher } from './dead-letter';
import { DeliveryLog } from './delivery-log';
import { DeliveryStore } from './delivery-store';
import { DeliveryWorker } from './delivery.worker';
import type { EmailSender } from './email.channel';
import type { NotifierLogger } from './logger';
import { migrate } from './migrations';
import { createNotificationLinksHandler } from './notification-links.handler';
import { StatusChangeConsumer } from './status-change.consumer';
import { SubscriptionService } from './subscription.service';
import { HttpWebhookSender, type WebhookSender } from './webhook.channel';
import { PRODUCTION_WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from './webhook-signing';

export interface NotifierOptions {
  /** The notifier does not end this pool; its owner does. */
  pool: Pool;
  /** Default `notifications`. */
  schema?: string;
  kafka: {
    brokers: string[];
    clientId?: string;
    /** Default `notifier`. */
    groupId?: string;
    /** Default `case.status-changed.v1`. */
    topic?: string;
    /** Default `<topic>.dlq`; created at start when missing. */
    deadLetterTopic?: string;
    fromBeginning?: boolean;
    /** Longest a consumer fetch waits for new messages (and so how long stop() can take). Default 5000 ms. */
    maxWaitTimeMs?: number;
  };
  email: EmailSender;
  /** Default: HTTP with `webhookTimeoutMs`. */
  webhooks?: WebhookSender;
  /** Default 10 s. */
  webhookTimeoutMs?: number;
  publicBaseUrl: string;
  retry?: Partial<RetryPolicy>;
  worker?: { concurrency?: number; pollIntervalMs?: number; leaseMs?: number };
  /** Default: https only, no private hosts. */
  webhookUrlPolicy?: WebhookUrlPolicy;
  /** How often unconfirmed, expired subscriptions (and their addresses) are deleted. Default hourly. */
  purgeIntervalMs?: number;
  logger: NotifierLogger;
}

/**
 * The whole notifier in one object: subscriptions (for the API), the delivery log (for
 * caseworkers), the confirm/unsubscribe link handler, and the Kafka → email/webhook pipeline
 * that start() runs.
 */
export class Notifier {
  readonly subscriptions: SubscriptionService;
  readonly deliveryLog: DeliveryLog;
  readonly linksHandler: ReturnType<typeof createNotificationLinksHandler>;
  readonly topic: string;
  readonly deadLetterTopic: string;
  private readonly schema: string;
  private readonly store: DeliveryStore;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly worker: DeliveryWorker;
  private readonly consumer: StatusChangeConsumer;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: NotifierOptions) {
    const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    assertRetryPolicy(retry);
    this.schema = options.schema ?? 'notifications';
    this.topic = options.kafka.topic ?? CASE_STATUS_CHANGED_V1.topic;
    this.deadLetterTopic = options.kafka.deadLetterTopic ?? deadLetterTopicFor(this.topic);
    const webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
    const { logger } = options;
    this.subscriptions = new SubscriptionService({
      pool: options.pool,
      schema: this.schema,
      email: options.email,
      publicBaseUrl: options.publicBaseUrl,
      webhookUrlPolicy: options.webhookUrlPolicy ?? PRODUCTION_WEBHOOK_URL_POLICY,
      logger,
    });
    this.deliveryLog = new DeliveryLog(options.pool, this.schema);
    this.store = new DeliveryStore(options.pool, this.schema);
    this.linksHandler = createNotificationLinksHandler(this.subscriptions, logger);
    this.kafka = new Kafka({
      clientId: options.kafka.clientId ?? 'notifier',
      brokers: options.kafka.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => logger.warn(`kafka${entry.namespace ? ` ${entry.namespace}` : ''}: ${entry.log.message}${entry.log['error'] ? `: ${String(entry.log['error'])}` : ''}`),
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    const deadLetters = new KafkaDeadLetterPublisher(this.producer, this.deadLetterTopic);
    this.worker = new DeliveryWorker({
      store: this.store,
      email: options.email,
      webhooks: options.webhooks ?? new HttpWebhookSender({ timeoutMs: webhookTimeoutMs }),
      deadLetters,
      retry,
      publicBaseUrl: options.publicBaseUrl,
      topic: this.topic,
      concurrency: options.worker?.concurrency,
      pollIntervalMs: options.worker?.pollIntervalMs,
      // Longer than one SMTP or webhook attempt can take, so a live worker never loses its claim.
      leaseMs: options.worker?.leaseMs ?? Math.max(60_000, webhookTimeoutMs * 3),
      logger,
    });
    this.consumer = new StatusChangeConsumer({
      kafka: this.kafka,
      groupId: options.kafka.groupId ?? 'notifier',
      topic: this.topic,
      fromBeginning: options.kafka.fromBeginning,
      maxWaitTimeMs: options.kafka.maxWaitTimeMs,
      store: this.store,
      deadLetters,
      onQueued: () => this.worker.wake(),
      logger,
    });
  }

  /** Kafka messages this instance handled since start (redeliveries included). */
  get consumedMessages(): number {
    return this.consumer.consumed;
  }

  /** Brings the schema up to date; safe from several processes at once. Returns the versions applied. */
  migrate(): Promise<number[]> {
    return migrate(this.options.pool, this.schema);
  }

  async start(): Promise<void> {
    await this.migrate();
    await this.ensureDeadLetterTopic();
    await this.producer.connect();
    this.worker.start();
    await this.consumer.start();
    const purge = () =>
      this.subscriptions.purgeExpiredConfirmations().then(
        (count) => count > 0 && this.options.logger.log(`deleted ${count} unconfirmed subscription(s) past their confirmation deadline`),
        (error: Error) => this.options.logger.error(`purging unconfirmed subscriptions failed: ${error.message}`),
      );
    this.purgeTimer = setInterval(purge, this.options.purgeIntervalMs ?? 3_600_000);
    this.purgeTimer.unref();
    this.options.logger.log(`consuming ${this.topic}; dead letters to ${this.deadLetterTopic}`);
  }

  /** Stops consuming first (nothing new gets queued), then lets attempts in flight settle. */
  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.consumer.stop();
    await this.worker.stop();
    await this.producer.disconnect();
  }

  private async ensureDeadLetterTopic(): Promise<void> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      if (!existing.includes(this.deadLetterTopic)) {
        await admin.createTopics({ topics: [{ topic: this.deadLetterTopic }], waitForLeaders: true });
      }
    } finally {
      await admin.disconnect();
    }
  }
}
