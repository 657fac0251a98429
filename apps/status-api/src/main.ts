import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { createEmailSender, DeliveryLog, SubscriptionService, migrateNotifications, safeguardOptions } from '@case-status/notifications';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels } from '@case-status/read-models';
import { migrateProjection } from '@case-status/projection-runner';
import { createPostgresEventStore, EventStoreDbEventStore } from '@case-status/event-store';
import { feedbackResults, FeedbackSubmitter, PostgresFeedbackResults } from '@case-status/feedback';
import { createStatusApp, type StatusFeedbackOptions, type StatusNotificationsOptions } from '@case-status/public-api';
import { loadConfig, type StatusApiConfig } from './config';

/** Subscriptions and the delivery log on the notifier's tables; the notifier itself sends. */
async function notifications(config: StatusApiConfig, logger: Logger): Promise<StatusNotificationsOptions | undefined> {
  const settings = config.notifications;
  if (!settings) {
    logger.warn('SMTP_URL is not set: email subscriptions, webhooks and the delivery log answer NOTIFICATIONS_UNAVAILABLE');
    return undefined;
  }
  // Lives as long as the process, like the SMTP connection pool.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 5 });
  const { safeguards } = settings;
  if (safeguards.developmentKey) logger.warn('NOTIFICATIONS_ENCRYPTION_KEY is not set: webhook secrets are sealed with the development key (refused in production)');
  // The notifier migrates too; whichever starts first creates the tables (migrations take a lock).
  await migrateNotifications(pool, settings.schema, safeguards.keys);
  const subscriptions = new SubscriptionService({
    pool,
    schema: settings.schema,
    email: createEmailSender(settings.email),
    publicBaseUrl: settings.publicBaseUrl,
    ...safeguardOptions(safeguards),
    logger: new Logger('notifications'),
  });
  logger.log(`notifications on (schema ${settings.schema}; links in emails point at ${settings.publicBaseUrl})`);
  return { subscriptions, deliveryLog: new DeliveryLog(pool, settings.schema) };
}

/** Survey answers go to the event store as anonymous events; results come from their projection. */
async function feedback(config: StatusApiConfig, logger: Logger): Promise<StatusFeedbackOptions> {
  const settings = config.feedback;
  if (settings.developmentSecret) logger.warn('FEEDBACK_SECRET is not set: survey response ids use a development secret (set one in production, the same for every instance)');
  // Lives as long as the process.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  // The projector migrates too; whichever starts first creates the tables (migrations take a lock).
  await migrateProjection(pool, feedbackResults, settings.schema);
  const events =
    settings.eventStore.kind === 'postgres'
      ? await createPostgresEventStore({ connection: pool, schema: settings.eventStore.schema })
      : new EventStoreDbEventStore(settings.eventStore.url);
  return {
    submitter: new FeedbackSubmitter({ events, secret: settings.secret }),
    results: new PostgresFeedbackResults({ connection: pool, schema: settings.schema, secret: settings.secret }),
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('status-api');
  if (!config.redisUrl) logger.warn('REDIS_URL is not set: rate limits count in this instance only (set it when several instances serve the API)');
  if (!config.caseworkerKeys) logger.warn('CASEWORKER_KEYS_FILE is not set: caseworker queries will refuse every token');
  // The projector migrates too; whichever starts first creates the tables (migrations take a lock).
  const pool = new Pool({ connectionString: config.databaseUrl, max: 1 });
  await migrateProjection(pool, caseReadModels, config.readModelSchema).finally(() => pool.end());
  const notificationsOptions = await notifications(config, logger);
  const app = await createStatusApp({
    queries: new PostgresReadModels({ connection: config.databaseUrl, schema: config.readModelSchema }),
    changeFeed: new PostgresCaseStatusChangeFeed({
      connection: config.databaseUrl,
      schema: config.readModelSchema,
      onError: (error) => logger.error(`change feed: ${error.message}`),
    }),
    caseworkerKeys: config.caseworkerKeys ?? {},
    rateLimit: config.rateLimit,
    subscribeRateLimit: config.subscribeRateLimit,
    ...(notificationsOptions && { notifications: notificationsOptions }),
    feedback: await feedback(config, logger),
    trustProxy: config.trustProxy,
    graphiql: config.graphiql,
    ...(config.forwardingKey && { forwardingKey: config.forwardingKey }),
    ...(config.redisUrl && { rateLimitStore: { redisUrl: config.redisUrl } }),
    closeOnShutdown: true,
  });
  await app.listen(config.port, config.host);
  const base = `http://${config.host}:${config.port}`;
  const graphiql = config.graphiql ? `GraphiQL: ${base}/graphiql` : 'GraphiQL off';
  logger.log(`listening on ${base}/graphql (${graphiql}; subscriptions: ws://${config.host}:${config.port}/graphql)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
