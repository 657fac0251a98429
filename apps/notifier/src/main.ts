import { Pool } from 'pg';
import { runService } from '@case-status/config';
import { SurveyLinks } from '@case-status/feedback';
import { componentCheck, Metrics, startOpsServer } from '@case-status/http-support';
import { PostgresRepresentatives, representativesOfRecord } from '@case-status/identity';
import { consoleLogger } from '@case-status/logging';
import { describeKafkaConnection, KAFKA_CLIENT_RETRY } from '@case-status/messaging';
import { createEmailSender, measureNotifications, startNotifier } from '@case-status/notifications';
import { migrateProjection } from '@case-status/projection-runner';
import { startNotificationLinksServer } from '@case-status/web';
import { loadConfig } from './config';

runService('notifier', async () => {
  const config = loadConfig();
  const logger = consoleLogger('notifier');
  const { safeguards } = config;
  if (safeguards.developmentKey) logger.warn('NOTIFICATIONS_ENCRYPTION_KEY is not set: webhook secrets are sealed with the development key (refused in production)');
  if (safeguards.allowInsecureWebhooks) logger.warn('WEBHOOK_ALLOW_INSECURE=true: webhooks may use http:// and local addresses (development only)');
  logger.log(`Kafka: ${describeKafkaConnection(config.kafka)}`);
  // Enough connections for every partition consumed at once (6) and every delivery slot (16).
  const pool = new Pool({ connectionString: config.databaseUrl, max: 24 });
  const email = createEmailSender(config.email);
  // The projector fills it; its tables are made here too, so a notifier started first can ask it.
  await migrateProjection(pool, representativesOfRecord, config.representativesSchema);
  const notifier = await startNotifier({
    pool,
    schema: config.schema,
    kafka: { ...config.kafka, retry: KAFKA_CLIENT_RETRY },
    email,
    publicBaseUrl: config.publicBaseUrl,
    retry: config.retry,
    webhookTimeoutMs: config.webhookTimeoutMs,
    worker: { leaseMs: config.deliveryLeaseMs },
    // Representatives' webhooks deliver only while the projector's representatives projection has them of record.
    representatives: new PostgresRepresentatives({ connection: pool, schema: config.representativesSchema }),
    // Decisions sent to an agency's own endpoint carry the applicant's survey link (docs/feedback.md).
    ...(config.surveyLinkSecret !== null && { surveyLinks: new SurveyLinks({ secret: config.surveyLinkSecret }) }),
    safeguards,
    // The confirm and unsubscribe links in emails point here (behind PUBLIC_BASE_URL), or at the website.
    links: (running) => startNotificationLinksServer({ subscriptions: running.subscriptions, port: config.port, host: config.host }),
    logger,
  });
  if (config.surveyLinkSecret === null) logger.log('no survey links with decisions: they need PUBLIC_BASE_URL (the website) and, in production, FEEDBACK_SECRET');
  logger.log(`links on ${notifier.linksUrl}/notifications/{confirm,unsubscribe} (public: ${config.publicBaseUrl})`);
  const metrics = new Metrics();
  measureNotifications(metrics, pool, config.schema);
  const ops = await startOpsServer({
    name: 'notifier',
    port: config.healthPort,
    host: config.healthHost,
    metrics,
    checks: [componentCheck('notifier', () => notifier.notifier.health())],
  });
  logger.log(`health and metrics on ${ops.url}/health/ready, ${ops.url}/metrics`);
  return {
    stop: async () => {
      await ops.close();
      await notifier.stop();
      email.close();
      await pool.end();
    },
  };
});
