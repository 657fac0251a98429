import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgresOptions } from '@case-status/embedded-postgres';
import { eventStoreCheck, openEventStore, type EventStoreSettings } from '@case-status/event-store';
import { componentCheck, Metrics, startOpsServer, type ReadinessCheck } from '@case-status/http-support';
import { startIntakeApi, type AgencyKeys } from '@case-status/intake';
import { consoleLogger, nestLogger, silentLogger, type Logger, type NestLoggerService } from '@case-status/logging';
import { KAFKA_CLIENT_RETRY, measureRelay, openKafkaPublisher, startRelay, type KafkaConnection } from '@case-status/messaging';
import {
  createEmailSender,
  measureNotifications,
  startNotifier,
  type ConfirmationLimits,
  type EmailSender,
  type NotificationKeys,
  type PostgresDeadLetterPublisher,
} from '@case-status/notifications';
import { startProjections } from '@case-status/projection-runner';
import { CASE_PROJECTIONS, caseReadModels, PostgresReadModels, startServedEstimateRecorder } from '@case-status/read-models';
import { startStatusApi } from '@case-status/public-api';
import { buildAssets, feedbackSurveyHref, startNotificationLinksServer, startWebServer } from '@case-status/web';
import { feedbackResults, feedbackSecret, FeedbackSubmitter, PostgresFeedbackResults, SurveyLinks } from '@case-status/feedback';
import { caseLinks, CaseLinker, helperGrants, HelperInvitations, newPersonAssertionKeys, PostgresAccessAudit, PostgresAccessCodeAttempts, PostgresCaseLinks, PostgresHelperGrants, PostgresRepresentatives, representativesOfRecord, startLocalSignIn } from '@case-status/identity';
import { InProcessCaseStatusPublisher } from './in-process-case-status-publisher';

export interface PlatformOptions {
  /** Where the embedded database keeps its files between runs (unused with `databaseUrl`). */
  dataDir: string;
  /** How long one connection may hold the embedded database's one session (unused with `databaseUrl`). */
  embeddedLimits?: EmbeddedPostgresOptions['limits'];
  /** A PostgreSQL server to use instead of the embedded database. */
  databaseUrl?: string;
  /** Keep events in EventStoreDB instead of PostgreSQL (read models stay in PostgreSQL). */
  eventStoreDbUrl?: string;
  /**
   * Relay status changes through Kafka and have the notifier consume them there. Without
   * it they are handed to the notifier in process, through the same publisher port.
   */
  kafka?: KafkaConnection;
  /** Kafka topic for status changes; default `case.status-changed.v1`. */
  kafkaTopic?: string;
  /** Notifications: where email goes and what links in it point at. */
  notifications: {
    /** Send through this SMTP server; without it, email is written to `outboxDir`. */
    smtpUrl?: string;
    outboxDir: string;
    from?: string;
    /** The confirm and unsubscribe links' base; default the website (or, without it, the links server). */
    publicBaseUrl?: string;
    /** Development: webhooks may use http:// and local addresses. Default false. */
    allowInsecureWebhooks?: boolean;
    /** Seal webhook secrets and derive unsubscribe tokens; default the development key (refused in production). */
    keys?: NotificationKeys;
    confirmationLimits?: ConfirmationLimits;
    maxWebhooksPerOwner?: number;
  };
  /** 0 picks a free port. */
  intakePort: number;
  statusPort: number;
  /** Serves the website's confirm/unsubscribe pages for the links of notification emails (where the website is not served). */
  linksPort: number;
  /** The operations server's port (readiness of every part, `/metrics`); default 0, a free port. */
  opsPort?: number;
  /** The public website's port (0 picks a free one); null or absent serves none. */
  webPort?: number | null;
  /** Sign-in on the website through the local identity provider (development only; needs a fixed `webPort`). */
  localSignIn?: boolean;
  /** Where the website keeps its built CSS and JavaScript; default `dist/web-assets`. */
  webAssetsDir?: string;
  agencyKeys: AgencyKeys;
  /** Per agency, the keys caseworker tokens are signed with; none by default. */
  caseworkerKeys?: AgencyKeys;
  host?: string;
  eventStoreSchema?: string;
  readModelSchema?: string;
  notificationsSchema?: string;
  feedbackSchema?: string;
  /** Keys the anonymous one-response-per-case id of survey answers; a development default without it. */
  feedbackSecret?: string;
  relaySchema?: string;
  /** A projection or the relay further behind than this is not ready; default 30 s. */
  readyMaxLagMs?: number;
  logger?: boolean;
}

export interface Platform {
  intakeUrl: string;
  statusUrl: string;
  /** Where the confirm/unsubscribe links of emails are served. */
  linksUrl: string;
  /** The public website, or null when it is not served. */
  webUrl: string | null;
  /** The operations server: `/health/ready` for every part and `/metrics` for all of them; never routed from the internet. */
  opsUrl: string;
  /** The local identity provider the website signs people in with (`localSignIn`), or null. */
  identityIssuer: string | null;
  databaseUrl: string;
  /** The directory email goes to, or null when it is sent over SMTP. */
  outboxDir: string | null;
  /** How status changes reach the notifier. */
  fanOut: 'in-process' | 'kafka';
  eventStore: 'postgresql' | 'eventstoredb';
  /** Dead letters kept in PostgreSQL (in-process fan-out), or null when they go to a Kafka topic. */
  deadLetters: PostgresDeadLetterPublisher | null;
  /** Rejects when a part that runs in the background (a projection, the relay) fails; the caller decides whether to stop. */
  closed: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The whole platform in one process: intake, projector, status API with live subscriptions,
 * relay and notifier, composed from the same functions the separate apps use. Each part's
 * backing service is configuration: embedded PostgreSQL (PGlite) or a PostgreSQL server,
 * PostgreSQL or EventStoreDB for events, in-process hand-off or Kafka for status changes,
 * an outbox directory or SMTP for email.
 *
 * The embedded database is one PostgreSQL session shared by every connection, so there the
 * read side's queries get a single connection: its named prepared statements would collide
 * if two connections prepared the same name.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  const eventStoreSchema = options.eventStoreSchema ?? 'event_store';
  const readModelSchema = options.readModelSchema ?? 'read_models';
  // Nest's start-up lines (modules initialised, routes mapped) say nothing a person running the
  // platform needs; its warnings and errors do.
  const nestLog = (part: string): false | NestLoggerService => (options.logger === false ? false : nestLogger(consoleLogger(part), ['error', 'warn']));
  const log = (part: string): Logger | undefined => (options.logger === false ? undefined : consoleLogger(part));
  // One registry for every part; the one operations server serves it and readiness for every part.
  const metrics = new Metrics();
  const maxLagMs = options.readyMaxLagMs ?? 30_000;
  // Undone last-first, on stop or when a later step of starting fails.
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    const errors: unknown[] = [];
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'the platform did not stop cleanly');
  };

  try {
    const embedded = !options.databaseUrl;
    let databaseUrl = options.databaseUrl ?? '';
    if (embedded) {
      const db = await startEmbeddedPostgres({ dataDir: options.dataDir, limits: options.embeddedLimits });
      closers.push(() => db.stop());
      databaseUrl = db.connectionString;
    }

    const projections = [...CASE_PROJECTIONS, feedbackResults, caseLinks, helperGrants, representativesOfRecord];
    // Each projection runner holds a LISTEN connection of its own while it runs.
    const pool = new Pool({ connectionString: databaseUrl, max: (embedded ? 2 : 8) + projections.length });
    closers.push(() => pool.end());
    const events: EventStoreSettings = options.eventStoreDbUrl ? { kind: 'eventstoredb', url: options.eventStoreDbUrl } : { kind: 'postgres', schema: eventStoreSchema };
    const store = await openEventStore(events, pool, log('event store'));
    closers.push(() => store.close());

    // An idle projector reads as soon as the PostgreSQL store announces an append; others poll.
    const wakeChannel = 'appendChannel' in store && typeof store.appendChannel === 'string' ? store.appendChannel : undefined;
    // Survey answers have their own streams, projection and checkpoint (docs/feedback.md).
    const feedbackSchema = options.feedbackSchema ?? feedbackResults.schema;
    const schemas: Record<string, string> = { [caseReadModels.name]: readModelSchema, [feedbackResults.name]: feedbackSchema, [caseLinks.name]: caseLinks.schema, [helperGrants.name]: helperGrants.schema, [representativesOfRecord.name]: representativesOfRecord.schema };
    // Migrates the read models before the status API queries them; each runs in the background until stop.
    // No election here, nor for the relay below: the platform is one process, and its embedded
    // database (PGlite) serves one connection at a time, which a held lock connection would take.
    // Run the separate services for several instances.
    const running = await startProjections(projections, { pool, source: store, schemaOf: (projection) => schemas[projection.name], wakeChannel, metrics, logger: log('projector') });
    closers.push(() => running.stop());

    let webUrl: string | null = null;
    let identityIssuer: string | null = null;
    const email = openEmail(options.notifications);
    closers.push(async () => email.close());
    // With Kafka, the publisher creates the topics, which the notifier's consumer needs.
    const kafkaPublisher = options.kafka
      ? (await openKafkaPublisher({ connection: options.kafka, clientId: 'case-status-platform', topic: options.kafkaTopic })).publisher
      : undefined;
    if (kafkaPublisher) closers.push(() => kafkaPublisher.close());
    // The website's confirm and unsubscribe pages, for emails when the website is not served.
    const assets = await buildAssets({ cacheDir: options.webAssetsDir });
    const feedbackKey = feedbackSecret(options.feedbackSecret).secret;
    const webPort = options.webPort ?? null;
    const webServed = webPort !== null;
    const notifications = await startNotifier({
      pool,
      schema: options.notificationsSchema,
      kafka: options.kafka ? { ...options.kafka, topic: options.kafkaTopic, groupId: 'platform-notifier', retry: KAFKA_CLIENT_RETRY } : undefined,
      email,
      // The website serves the links in both languages once it listens (it starts last).
      publicBaseUrl: options.notifications.publicBaseUrl ?? ((linksUrl) => webUrl ?? linksUrl),
      safeguards: options.notifications,
      links: (running) => startNotificationLinksServer({ subscriptions: running.subscriptions, port: options.linksPort, host, assets }),
      // The embedded database runs one statement at a time; more slots would only queue there.
      worker: embedded ? { concurrency: 4 } : undefined,
      representatives: new PostgresRepresentatives({ connection: pool, schema: representativesOfRecord.schema }),
      // Decisions sent to an agency's own endpoint carry the applicant's survey link, which opens the website's survey.
      ...(webServed && { surveyLinks: new SurveyLinks({ secret: feedbackKey }) }),
      logger: log('notifier') ?? silentLogger,
    });
    closers.push(() => notifications.stop());
    const { notifier } = notifications;
    const publisher = kafkaPublisher ?? new InProcessCaseStatusPublisher(notifier);
    if (!kafkaPublisher) closers.push(() => publisher.close());
    const relay = await startRelay({
      pool,
      source: store,
      publisher,
      checkpointSchema: options.relaySchema ?? 'status_relay',
      checkpointName: options.kafka ? 'kafka' : 'in-process',
      logger: log('relay'),
    });
    closers.push(() => relay.stop());
    measureRelay(metrics, relay);
    measureNotifications(metrics, pool, options.notificationsSchema);
    const readiness: ReadinessCheck[] = [
      eventStoreCheck(store, 'event-store'),
      ...running.runners.map((runner) => componentCheck(`projection:${runner.projection.name}`, () => running.health(runner), { maxLagMs })),
      componentCheck('relay', () => relay.health(), { maxLagMs }),
      componentCheck('notifier', () => notifier.health()),
    ];

    const readPool = new Pool({ connectionString: databaseUrl, max: embedded ? 1 : 10 });
    const representatives = new PostgresRepresentatives({ connection: readPool, schema: representativesOfRecord.schema });
    const accessAudit = new PostgresAccessAudit({ pool: readPool });
    await accessAudit.migrate();
    closers.push(() => readPool.end());
    // What the estimates told people: today's sample where it is missing, then the scores, every hour. On the
    // read side's pool: the embedded database shares one session, where named statements must come from one connection.
    const served = await startServedEstimateRecorder(new PostgresReadModels({ connection: readPool, schema: readModelSchema }).served, { logger: log('served estimates') ?? silentLogger });
    closers.push(() => served.stop());

    // Intake records into the store every part shares (the platform closes it last).
    const intake = await startIntakeApi({ events: { shared: store }, agencyKeys: options.agencyKeys, port: options.intakePort, host, metrics, logger: nestLog('intake'), log: log('intake') });
    closers.push(() => intake.stop());

    // Sign-in: the local identity provider, with the website registered as its client. It
    // starts before the status API, which accepts its staff tokens for the caseworker console.
    const signIn =
      options.localSignIn && options.webPort !== null && options.webPort !== undefined && options.webPort !== 0
        ? await startLocalSignIn({ pool, webBaseUrl: `http://${host}:${options.webPort}`, dataDir: options.dataDir, host })
        : undefined;
    if (signIn) closers.push(() => signIn.provider.close());
    identityIssuer = signIn?.provider.issuer ?? null;

    // The website names its visitors to the status API with this key; nobody else has it, so
    // no other local client can choose the address it is counted under.
    const forwardingKey = randomBytes(32).toString('base64url');
    // "My cases": the website signs who is asking with a key made for this start; the status API checks it.
    const people = await newPersonAssertionKeys();
    const accessCodeAttempts = new PostgresAccessCodeAttempts({ pool, schema: 'access_codes' });
    const grants = new PostgresHelperGrants({ connection: readPool, schema: helperGrants.schema });
    await accessCodeAttempts.migrate();
    const status = await startStatusApi({
      databaseUrl,
      readPool,
      readModelSchema,
      // The projections above have migrated the read models.
      migrate: false,
      caseworkerKeys: { ...signIn?.staffTokenKeys, ...options.caseworkerKeys },
      // The website asks on its visitors' behalf and forwards their addresses, so rate limits stay per visitor.
      forwardingKey,
      notifications: { subscriptions: notifier.subscriptions, deliveryLog: notifier.deliveryLog, deliveryActions: notifier.deliveryActions, representatives },
      caseEvents: store,
      feedback: {
        submitter: new FeedbackSubmitter({ events: store, secret: feedbackKey }),
        results: new PostgresFeedbackResults({ connection: readPool, schema: feedbackSchema, secret: feedbackKey }),
      },
      myCases: {
        linker: new CaseLinker({ events: store, attempts: accessCodeAttempts }),
        links: new PostgresCaseLinks({ connection: readPool, schema: caseLinks.schema }),
        representatives,
        assertionKeys: people.publicKeys,
        helpers: {
          // Invitations link to the website, which listens once everything else has started.
          invitations: new HelperInvitations({ events: store, grants, mailer: email, websiteUrl: () => options.notifications.publicBaseUrl ?? webUrl ?? `http://${host}:${options.webPort ?? 0}` }),
          grants,
        },
      },
      accessAudit,
      port: options.statusPort,
      host,
      metrics,
      logger: nestLog('status'),
      log: log('status'),
    });
    closers.push(() => status.stop());
    const ops = await startOpsServer({ checks: [...readiness, ...status.readiness], metrics, port: options.opsPort ?? 0, host, name: 'platform-ops' });
    closers.push(() => ops.close());
    const statusUrl = status.url;

    if (webPort !== null) {
      const web = await startWebServer({
        identity: signIn && { ...signIn.web, assertions: people.signer },
        statusApiUrl: statusUrl,
        // The site asks the status API in process, through the same routes, hooks and limits.
        statusApiInProcess: status.app.getHttpAdapter().getInstance(),
        statusApiForwardingKey: forwardingKey,
        port: webPort,
        host,
        assets,
        feedbackSurvey: feedbackSurveyHref,
        metrics,
        logger: options.logger,
      });
      closers.push(() => web.close());
      webUrl = web.url;
    }

    const closed = Promise.all([running.closed, relay.closed]).then(() => undefined);
    closed.catch(() => undefined);
    return {
      intakeUrl: intake.url,
      statusUrl,
      linksUrl: notifications.linksUrl,
      webUrl,
      opsUrl: ops.url,
      identityIssuer,
      databaseUrl,
      outboxDir: options.notifications.smtpUrl ? null : options.notifications.outboxDir,
      fanOut: options.kafka ? 'kafka' : 'in-process',
      eventStore: options.eventStoreDbUrl ? 'eventstoredb' : 'postgresql',
      deadLetters: notifier.storedDeadLetters,
      closed,
      stop: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

function openEmail(settings: PlatformOptions['notifications']): EmailSender {
  const from = settings.from ?? 'Case Status <no-reply@case-status.example>';
  return createEmailSender(settings.smtpUrl ? { smtpUrl: settings.smtpUrl, from } : { outboxDir: settings.outboxDir, from });
}
