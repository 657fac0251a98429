import 'reflect-metadata';
import { Pool } from 'pg';
import { runService } from '@case-status/config';
import { openEventStore } from '@case-status/event-store';
import { feedbackResults, FeedbackSubmitter, PostgresFeedbackResults } from '@case-status/feedback';
import { Metrics } from '@case-status/http-support';
import { caseLinks, CaseLinker, helperGrants, HelperInvitations, PostgresAccessAudit, PostgresAccessCodeAttempts, PostgresCaseLinks, PostgresHelperGrants, PostgresRepresentatives, representativesOfRecord, type HelperInvitationsOptions } from '@case-status/identity';
import { consoleLogger, nestLogger, type Logger } from '@case-status/logging';
import { createEmailSender, DeliveryActions, DeliveryLog, SubscriptionService, migrateNotifications, safeguardOptions } from '@case-status/notifications';
import { migrateProjection } from '@case-status/projection-runner';
import { startStatusApi, type StatusApiOptions } from '@case-status/public-api';
import { loadConfig, type StatusApiConfig } from './config';

/** Subscriptions and the delivery log on the notifier's tables; the notifier itself sends. */
async function notifications(config: StatusApiConfig, pool: Pool, log: Logger): Promise<StatusApiOptions['notifications']> {
  const settings = config.notifications;
  if (!settings) {
    log.warn('SMTP_URL is not set: email subscriptions, webhooks and the delivery log answer NOTIFICATIONS_UNAVAILABLE');
    return undefined;
  }
  const { safeguards } = settings;
  if (safeguards.developmentKey) log.warn('NOTIFICATIONS_ENCRYPTION_KEY is not set: webhook secrets are sealed with the development key (refused in production)');
  // The notifier migrates too; whichever starts first creates the tables (migrations take a lock).
  await migrateNotifications(pool, settings.schema, safeguards.keys);
  const subscriptions = new SubscriptionService({
    pool,
    schema: settings.schema,
    email: createEmailSender(settings.email),
    publicBaseUrl: settings.publicBaseUrl,
    ...safeguardOptions(safeguards),
    logger: consoleLogger('notifications'),
  });
  log.log(`notifications on (schema ${settings.schema}; links in emails point at ${settings.publicBaseUrl})`);
  return { subscriptions, deliveryLog: new DeliveryLog(pool, settings.schema), deliveryActions: new DeliveryActions(pool, settings.schema), representatives: await representatives(config, pool) };
}

/** Survey answers go to the event store as anonymous events; results come from their projection. */
async function feedback(config: StatusApiConfig, pool: Pool, log: Logger): Promise<StatusApiOptions['feedback']> {
  const settings = config.feedback;
  if (settings.developmentSecret) log.warn('FEEDBACK_SECRET is not set: survey response ids use a development secret (set one in production, the same for every instance)');
  // The projector migrates too; whichever starts first creates the tables (migrations take a lock).
  await migrateProjection(pool, feedbackResults, settings.schema);
  return {
    submitter: new FeedbackSubmitter({ events: await openEventStore(settings.eventStore, pool), secret: settings.secret }),
    results: new PostgresFeedbackResults({ connection: pool, schema: settings.schema, secret: settings.secret }),
  };
}

/** The representatives of record, from the projection the projector keeps (its tables made here if the projector has not yet). */
async function representatives(config: StatusApiConfig, pool: Pool): Promise<PostgresRepresentatives> {
  await migrateProjection(pool, representativesOfRecord, config.representativesSchema);
  return new PostgresRepresentatives({ connection: pool, schema: config.representativesSchema });
}

/** Helpers: invitations go by e-mail (the notifications' SMTP settings) and link to the website. */
async function helpers(config: StatusApiConfig, pool: Pool, events: HelperInvitationsOptions['events'], log: Logger): Promise<NonNullable<StatusApiOptions['myCases']>['helpers']> {
  const settings = config.notifications;
  if (!settings || !config.myCases) {
    log.warn('SMTP_URL is not set: helpers (inviteHelper, sharedWithMe) answer LINKING_UNAVAILABLE');
    return undefined;
  }
  await migrateProjection(pool, helperGrants, config.myCases.helperGrantsSchema);
  const grants = new PostgresHelperGrants({ connection: pool, schema: config.myCases.helperGrantsSchema });
  return { invitations: new HelperInvitations({ events, grants, mailer: createEmailSender(settings.email), websiteUrl: settings.publicBaseUrl }), grants };
}

/** Linking cases by access code, and the links and representatives projections the projector keeps (docs/identity.md). */
async function myCases(config: StatusApiConfig, pool: Pool, log: Logger): Promise<StatusApiOptions['myCases']> {
  const settings = config.myCases;
  if (!settings) {
    log.warn('PERSON_ASSERTION_PUBLIC_KEYS is not set: "My cases" (myCases, linkCase) answers LINKING_UNAVAILABLE');
    return undefined;
  }
  const attempts = new PostgresAccessCodeAttempts({ pool, schema: settings.attemptsSchema });
  await attempts.migrate();
  await migrateProjection(pool, caseLinks, settings.linksSchema);
  const events = await openEventStore(settings.eventStore, pool);
  return {
    linker: new CaseLinker({ events, attempts }),
    links: new PostgresCaseLinks({ connection: pool, schema: settings.linksSchema }),
    representatives: await representatives(config, pool),
    assertionKeys: settings.assertionKeys,
    helpers: await helpers(config, pool, events, log),
  };
}

runService('status-api', async () => {
  const config = loadConfig();
  const log = consoleLogger('status-api');
  if (!config.redisUrl) log.warn('REDIS_URL is not set: rate limits count in this instance only (set it when several instances serve the API)');
  if (config.readReplica) log.log(`lookups read from the read replica (ready while at most ${config.readReplica.maxLagMs} ms behind)`);
  if (!config.caseworkerKeys) log.warn('CASEWORKER_KEYS_FILE is not set: caseworker queries will refuse every token');
  // Notifications and the survey: their tables, the event store of survey answers, and the
  // SMTP connection live as long as the process.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 9 });
  // A case's full record for its agency's caseworkers: its stream, read only.
  const caseEvents = await openEventStore(config.eventStore, pool);
  // Every private read is recorded here, on the primary, before it is served.
  const accessAudit = new PostgresAccessAudit({ pool, schema: config.accessAuditSchema });
  await accessAudit.migrate();
  const status = await startStatusApi({
    databaseUrl: config.databaseUrl,
    ...(config.readReplica && { readReplica: config.readReplica }),
    readModelSchema: config.readModelSchema,
    servedSchema: config.servedSchema,
    flowSchema: config.flowSchema,
    caseworkerKeys: config.caseworkerKeys ?? {},
    rateLimit: config.rateLimit,
    subscribeRateLimit: config.subscribeRateLimit,
    notifications: await notifications(config, pool, log),
    caseEvents,
    feedback: await feedback(config, pool, log),
    myCases: await myCases(config, pool, log),
    accessAudit,
    trustProxy: config.trustProxy,
    graphiql: config.graphiql,
    ...(config.forwardingKey && { forwardingKey: config.forwardingKey }),
    ...(config.redisUrl && { rateLimitStore: { redisUrl: config.redisUrl } }),
    port: config.port,
    host: config.host,
    ops: config.ops,
    metrics: new Metrics(),
    logger: nestLogger(log),
    log,
  });
  const graphiql = config.graphiql ? `GraphiQL: ${status.url}/graphiql` : 'GraphiQL off';
  log.log(`listening on ${status.url}/graphql (${graphiql}; subscriptions: ${status.url.replace('http', 'ws')}/graphql; readiness and metrics: ${status.opsUrl}/health/ready, ${status.opsUrl}/metrics)`);
  return {
    stop: async () => {
      await status.stop();
      await caseEvents.close();
      await pool.end();
    },
  };
});
