import { DeliveryActions } from './delivery-actions';
import type { PublicBaseUrl } from './subscription.service';
import { Kafka, logLevel, Partitioners, type Admin, type KafkaConfig, type Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { guardPool, type ComponentHealth } from '@case-status/postgres-support';
import { CASE_STATUS_CHANGED_V1, type IncomingKafkaRecord, type ReceivedCaseStatusChange } from '@case-status/integration-events';
import { assertRetryPolicy, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
import { deadLetterTopicFor, KafkaDeadLetterPublisher, type DeadLetterPublisher } from './dead-letter';
import { DeliveryLog } from './delivery-log';
import { DeliveryStore } from './delivery-store';
import { DeliveryWorker, type RepresentationCheck, type SurveyLinkIssuer } from './delivery.worker';
import type { EmailSender } from './email.channel';
import type { Logger } from '@case-status/logging';
import { migrate } from './migrations';
import { PostgresDeadLetterPublisher } from './postgres-dead-letters';
import { parseOrDeadLetter, StatusChangeConsumer } from './status-change.consumer';
import { defaultNotificationKeys, type NotificationKeys } from './notification-keys';
import { SubscriptionService, type ConfirmationLimits } from './subscription.service';
import { HttpWebhookSender, type WebhookSender } from './webhook.channel';
import { PRODUCTION_WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from './webhook-signing';
import type { HostResolver } from './webhook-target';

export interface NotifierOptions {
  /** The notifier does not end this pool; its owner does. */
  pool: Pool;
  /** Default `notifications`. */
  schema?: string;
  /**
   * Where status changes come from. Without it they are handed over in process through
   * `accept` (the one-process platform), and dead letters are kept in the
   * `dead_letters` table instead of a topic.
   */
  kafka?: {
    brokers: string[];
    /** TLS and SASL towards the brokers, as kafkajs takes them; plaintext without. */
    ssl?: KafkaConfig['ssl'];
    sasl?: KafkaConfig['sasl'];
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
    /** How long the group waits for a silent instance before its partitions move. Default 10 s. */
    sessionTimeoutMs?: number;
    /** kafkajs' retries of a request; the services pass the one policy of libs/messaging (`KAFKA_CLIENT_RETRY`). Default kafkajs' own. */
    retry?: KafkaConfig['retry'];
  };
  email: EmailSender;
  /** Default: HTTP with `webhookTimeoutMs`. */
  webhooks?: WebhookSender;
  /** Default 10 s. */
  webhookTimeoutMs?: number;
  publicBaseUrl: PublicBaseUrl;
  retry?: Partial<RetryPolicy>;
  worker?: { concurrency?: number; pollIntervalMs?: number; leaseMs?: number };
  /** Default: https only, no private hosts; checked at registration and at every send. */
  webhookUrlPolicy?: WebhookUrlPolicy;
  /** Who is of record on which case, asked before each delivery to a representative's endpoint; without it, none is delivered to. */
  representatives?: RepresentationCheck;
  /** See DeliveryWorkerOptions: survey links in decisions sent to the agency's own endpoints. */
  surveyLinks?: SurveyLinkIssuer;
  /** Resolves webhook hosts (registration and the default sender). Default: the system resolver. */
  resolveHost?: HostResolver;
  /** Seal webhook secrets and derive unsubscribe tokens. Default: the development key (never in production). */
  keys?: NotificationKeys;
  /** See SubscriptionServiceOptions. */
  confirmationLimits?: ConfirmationLimits;
  maxWebhooksPerOwner?: number;
  /** How often unconfirmed, expired subscriptions (and their addresses) are deleted. Default hourly. */
  purgeIntervalMs?: number;
  logger: Logger;
}

/**
 * The whole notifier in one object: subscriptions (for the API), the delivery log (for
 * caseworkers), and the status change → email/webhook
 * pipeline that start() runs: fed by a Kafka consumer group, or in process through `accept`.
 */
export class Notifier {
  readonly subscriptions: SubscriptionService;
  readonly deliveryLog: DeliveryLog;
  /** Staff actions on deliveries: re-drive, pause, resume (recorded). */
  readonly deliveryActions: DeliveryActions;
  readonly topic: string;
  /** The dead-letter topic, or null when dead letters are kept in PostgreSQL. */
  readonly deadLetterTopic: string | null;
  /** Set when there is no Kafka: the dead letters kept in PostgreSQL. */
  readonly storedDeadLetters: PostgresDeadLetterPublisher | null;
  private readonly schema: string;
  private readonly keys: NotificationKeys;
  private readonly store: DeliveryStore;
  private readonly deadLetters: DeadLetterPublisher;
  private readonly kafka: Kafka | null;
  private readonly producer: Producer | null;
  private readonly worker: DeliveryWorker;
  private readonly consumer: StatusChangeConsumer | null;
  private accepted = 0;
  private purgeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: NotifierOptions) {
    const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    assertRetryPolicy(retry);
    this.schema = options.schema ?? 'notifications';
    this.topic = options.kafka?.topic ?? CASE_STATUS_CHANGED_V1.topic;
    const webhookTimeoutMs = options.webhookTimeoutMs ?? 10_000;
    const { logger } = options;
    guardPool(options.pool, (error) => logger.warn(`a database connection dropped (${error.message})`));
    this.keys = defaultNotificationKeys(options.keys);
    const webhookUrlPolicy = options.webhookUrlPolicy ?? PRODUCTION_WEBHOOK_URL_POLICY;
    this.subscriptions = new SubscriptionService({
      pool: options.pool,
      schema: this.schema,
      email: options.email,
      publicBaseUrl: options.publicBaseUrl,
      webhookUrlPolicy,
      resolveHost: options.resolveHost,
      keys: this.keys,
      confirmationLimits: options.confirmationLimits,
      maxWebhooksPerOwner: options.maxWebhooksPerOwner,
      logger,
    });
    this.deliveryLog = new DeliveryLog(options.pool, this.schema);
    this.deliveryActions = new DeliveryActions(options.pool, this.schema);
    this.store = new DeliveryStore(options.pool, this.schema, this.keys);
    if (options.kafka) {
      this.kafka = new Kafka({
        clientId: options.kafka.clientId ?? 'notifier',
        brokers: options.kafka.brokers,
        ssl: options.kafka.ssl,
        sasl: options.kafka.sasl,
        ...(options.kafka.retry && { retry: options.kafka.retry }),
        logLevel: logLevel.WARN,
        logCreator: () => (entry) => logger.warn(`kafka${entry.namespace ? ` ${entry.namespace}` : ''}: ${entry.log.message}${entry.log['error'] ? `: ${String(entry.log['error'])}` : ''}`),
      });
      this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
      this.deadLetterTopic = options.kafka.deadLetterTopic ?? deadLetterTopicFor(this.topic);
      this.deadLetters = new KafkaDeadLetterPublisher(this.producer, this.deadLetterTopic);
      this.storedDeadLetters = null;
    } else {
      this.kafka = null;
      this.producer = null;
      this.deadLetterTopic = null;
      this.storedDeadLetters = new PostgresDeadLetterPublisher(options.pool, this.schema);
      this.deadLetters = this.storedDeadLetters;
    }
    const deadLetters = this.deadLetters;
    this.worker = new DeliveryWorker({
      store: this.store,
      email: options.email,
      webhooks: options.webhooks ?? new HttpWebhookSender({ timeoutMs: webhookTimeoutMs, policy: webhookUrlPolicy, resolve: options.resolveHost }),
      deadLetters,
      retry,
      publicBaseUrl: options.publicBaseUrl,
      topic: this.topic,
      concurrency: options.worker?.concurrency,
      pollIntervalMs: options.worker?.pollIntervalMs,
      // Longer than one SMTP or webhook attempt can take, so a live worker never loses its claim.
      leaseMs: options.worker?.leaseMs ?? Math.max(60_000, webhookTimeoutMs * 3),
      representatives: options.representatives,
      surveyLinks: options.surveyLinks,
      logger,
    });
    this.consumer = !this.kafka || !options.kafka ? null : new StatusChangeConsumer({
      kafka: this.kafka,
      groupId: options.kafka.groupId ?? 'notifier',
      topic: this.topic,
      fromBeginning: options.kafka.fromBeginning,
      maxWaitTimeMs: options.kafka.maxWaitTimeMs,
      sessionTimeoutMs: options.kafka.sessionTimeoutMs,
      store: this.store,
      deadLetters,
      onQueued: () => this.worker.wake(),
      logger,
    });
  }

  /** Messages this instance handled since start (redeliveries included), from Kafka or `accept`. */
  get consumedMessages(): number {
    return (this.consumer?.consumed ?? 0) + this.accepted;
  }

  /**
   * The in-process hand-off: records status changes exactly as the Kafka consumer would
   * (one transaction, one delivery per matching subscription, deduplicated by event and
   * subscription) and resolves once that is durable. A message that can never be delivered
   * becomes a dead letter instead of failing the batch.
   */
  async accept(messages: readonly IncomingKafkaRecord[]): Promise<void> {
    const changes: ReceivedCaseStatusChange[] = [];
    for (const message of messages) {
      const origin = { topic: this.topic, partition: 0, offset: '-1', described: 'an in-process status change' };
      const change = await parseOrDeadLetter(message, origin, this.deadLetters, this.options.logger);
      if (change) changes.push(change);
    }
    const queued = await this.store.recordStatusChanges(changes);
    this.accepted += messages.length;
    if (queued > 0) this.worker.wake();
  }

  /**
   * Readiness: ready while delivering (and consuming, with Kafka) and reaching the database.
   * While the database is away the worker and the consumer wait it out with backoff.
   */
  health(): ComponentHealth {
    const down = this.worker.database.state === 'down' || this.consumer?.database.state === 'down';
    const database = down ? 'down' : 'up';
    if (!this.worker.isRunning || (this.consumer && !this.consumer.isRunning)) return { ready: false, database, detail: 'the notifier is not running' };
    if (down) return { ready: false, database, detail: 'the notifier cannot reach the database; retrying' };
    return { ready: true, database };
  }

  /** Brings the schema up to date; safe from several processes at once. Returns the versions applied. */
  migrate(): Promise<number[]> {
    return migrate(this.options.pool, this.schema, this.keys);
  }

  async start(): Promise<void> {
    await this.migrate();
    if (this.producer) {
      await this.ensureDeadLetterTopic();
      await this.producer.connect();
    }
    this.worker.start();
    await this.consumer?.start();
    const purge = () =>
      this.subscriptions.purgeExpiredConfirmations().then(
        (count) => count > 0 && this.options.logger.log(`deleted ${count} unconfirmed subscription(s) past their confirmation deadline`),
        (error: Error) => this.options.logger.error(`purging unconfirmed subscriptions failed: ${error.message}`),
      );
    this.purgeTimer = setInterval(purge, this.options.purgeIntervalMs ?? 3_600_000);
    this.purgeTimer.unref();
    this.options.logger.log(
      this.consumer ? `consuming ${this.topic}; dead letters to ${this.deadLetterTopic}` : 'taking status changes in process; dead letters kept in PostgreSQL',
    );
  }

  /** Stops consuming first (nothing new gets queued), then lets attempts in flight settle. */
  async stop(): Promise<void> {
    clearInterval(this.purgeTimer);
    await this.consumer?.stop();
    await this.worker.stop();
    await this.subscriptions.settled();
    await this.producer?.disconnect();
  }

  private async ensureDeadLetterTopic(): Promise<void> {
    if (!this.kafka || !this.deadLetterTopic) return;
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      const topic = this.deadLetterTopic;
      if (!existing.includes(topic)) {
        await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
      }
    } finally {
      await admin.disconnect();
    }
  }
}
