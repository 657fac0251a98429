import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { type AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { feedbackResults, FeedbackSubmitter, PostgresFeedbackResults, SurveyLinks } from '@case-status/feedback';
import {
  CaseLinker,
  caseLinks,
  helperGrants,
  HelperInvitations,
  migrateSessions,
  newPersonAssertionKeys,
  PostgresAccessAudit,
  PostgresAccessCodeAttempts,
  PostgresCaseLinks,
  PostgresHelperGrants,
  PostgresRepresentatives,
  representativesOfRecord,
  PostgresSessionStore,
  RelyingParty,
  STAFF_API_RESOURCE,
  STAFF_API_SCOPE,
  staffTokenKeysOf,
  startLocalIdentityProvider,
  type LocalIdentityProvider,
  type PersonAssertionSigner,
} from '@case-status/identity';
import { clientKeyPair } from '@case-status/identity/testing';
import { createIntakeApp } from '@case-status/intake';
import { silentLogger } from '@case-status/logging';
import { DeliveryActions, DeliveryLog, NotificationKeys, SmtpEmailSender, SubscriptionService, migrateNotifications } from '@case-status/notifications';
import { SmtpCapture, TEST_DATABASE_URL, dropSchema } from '@case-status/notifications/testing';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels, weeklyCaseFlow, type ServedEstimateRecord } from '@case-status/read-models';
import { ProjectionRunner } from '@case-status/projection-runner';
import { createStatusApp } from '@case-status/public-api';
import { buildAssets, feedbackSurveyHref, startWebServer, type WebServer } from '@case-status/web';
import { freePort } from '@case-status/http-support/testing';

const issuerOf = (agency: string) => `https://login.${agency.toLowerCase()}.example`;

const FEEDBACK_SECRET = 'web-e2e-feedback-secret';

/**
 * The whole read path the website sits on, for real, on PostgreSQL: intake (the write side),
 * the projector, the status API with email subscriptions (to a real SMTP server that keeps
 * what it receives) and the website. Each run gets its own schemas and drops them.
 * With `feedback`, decided cases offer the customer feedback survey and the status API
 * publishes its results from the feedback projection.
 */
export class SiteUnderTest {
  readonly smtp = new SmtpCapture();
  readonly pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 8 });
  private readonly suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  readonly schemas = {
    store: `web_store_${this.suffix}`,
    read: `web_read_${this.suffix}`,
    notifications: `web_notif_${this.suffix}`,
    feedback: `web_fb_${this.suffix}`,
    identity: `web_id_${this.suffix}`,
    served: `web_sv_${this.suffix}`,
    flow: `web_flow_${this.suffix}`,
    links: `web_links_${this.suffix}`,
    attempts: `web_codes_${this.suffix}`,
    representatives: `web_reps_${this.suffix}`,
    helpers: `web_help_${this.suffix}`,
    audit: `web_audit_${this.suffix}`,
  };
  /** The local identity provider the site signs people in with, when started with `identity`. */
  identityProvider: LocalIdentityProvider | undefined;
  private feedbackProjector: ProjectionRunner | undefined;
  private flowProjector: ProjectionRunner | undefined;
  private store: PostgresEventStore | undefined;
  private projector: ProjectionRunner | undefined;
  private linksProjector: ProjectionRunner | undefined;
  private linksProjecting: Promise<void> | undefined;
  private representativesProjector: ProjectionRunner | undefined;
  private representativesProjecting: Promise<void> | undefined;
  private helpersProjector: ProjectionRunner | undefined;
  private helpersProjecting: Promise<void> | undefined;
  private projecting: Promise<void> | undefined;
  private intake: NestFastifyApplication | undefined;
  private status: NestFastifyApplication | undefined;
  private web: WebServer | undefined;
  private served: ServedEstimateRecord | undefined;
  private sender: SmtpEmailSender | undefined;
  private keys: Record<string, CryptoKey> = {};
  webUrl = '';
  statusUrl = '';
  /** With `identity`: what the site signs its person assertions with, for tests that ask the status API as the site would. */
  personAssertions: PersonAssertionSigner | undefined;
  /** Where the status API records every private read. */
  readonly accessAudit = new PostgresAccessAudit({ pool: this.pool, schema: this.schemas.audit });

  constructor(private readonly options: { feedback?: boolean; identity?: boolean } = {}) {}

  async start(): Promise<this> {
    const agencyKeys: Record<string, { issuers: string[]; jwks: { keys: object[] } }> = {};
    for (const agency of ['USCIS', 'VBA']) {
      const pair = await generateKeyPair('ES256');
      this.keys[agency] = pair.privateKey;
      agencyKeys[agency] = { issuers: [issuerOf(agency)], jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: `${agency}-web`, alg: 'ES256' }] } };
    }
    await Promise.all([this.smtp.start(), migrateNotifications(this.pool, this.schemas.notifications)]);
    this.store = await createPostgresEventStore({ connection: this.pool, schema: this.schemas.store, pollIntervalMs: 50 });
    this.intake = await createIntakeApp({ eventStore: this.store, agencyKeys, logger: false });
    await this.intake.listen(0, '127.0.0.1');
    this.projector = new ProjectionRunner(caseReadModels, { pool: this.pool, source: this.store, schema: this.schemas.read, wakeChannel: this.store.appendChannel, pollIntervalMs: 50 });
    await this.projector.init();
    this.projecting = this.projector.start();
    this.flowProjector = new ProjectionRunner(weeklyCaseFlow, { pool: this.pool, source: this.store, schema: this.schemas.flow });
    await this.flowProjector.init();
    if (this.options.feedback) {
      this.feedbackProjector = new ProjectionRunner(feedbackResults, { pool: this.pool, source: this.store, schema: this.schemas.feedback });
      await this.feedbackProjector.init();
    }

    // Who is of record on which case: "My clients" and representatives' webhooks.
    this.representativesProjector = new ProjectionRunner(representativesOfRecord, { pool: this.pool, source: this.store, schema: this.schemas.representatives, wakeChannel: this.store.appendChannel, pollIntervalMs: 50 });
    await this.representativesProjector.init();
    this.representativesProjecting = this.representativesProjector.start();
    const representatives = new PostgresRepresentatives({ connection: this.pool, schema: this.schemas.representatives });
    await this.accessAudit.migrate();

    // "My cases": the site signs who is asking, the status API checks it and the links projection.
    let people: Awaited<ReturnType<typeof newPersonAssertionKeys>> | undefined;
    if (this.options.identity) {
      people = await newPersonAssertionKeys();
      this.personAssertions = people.signer;
      this.linksProjector = new ProjectionRunner(caseLinks, { pool: this.pool, source: this.store, schema: this.schemas.links, wakeChannel: this.store.appendChannel, pollIntervalMs: 50 });
      await this.linksProjector.init();
      this.linksProjecting = this.linksProjector.start();
      this.helpersProjector = new ProjectionRunner(helperGrants, { pool: this.pool, source: this.store, schema: this.schemas.helpers, wakeChannel: this.store.appendChannel, pollIntervalMs: 50 });
      await this.helpersProjector.init();
      this.helpersProjecting = this.helpersProjector.start();
    }
    const attempts = new PostgresAccessCodeAttempts({ pool: this.pool, schema: this.schemas.attempts });
    if (people) await attempts.migrate();

    // The links in emails point at the website, so its port is chosen first.
    const webPort = await freePort();
    this.sender = new SmtpEmailSender({ url: this.smtp.url, from: 'Case Status <no-reply@case-status.example>' });
    const subscriptions = new SubscriptionService({
      pool: this.pool,
      schema: this.schemas.notifications,
      email: this.sender,
      publicBaseUrl: `http://127.0.0.1:${webPort}`,
      webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false },
      logger: silentLogger,
    });
    const helperGrantsRead = new PostgresHelperGrants({ connection: this.pool, schema: this.schemas.helpers });
    const queries = new PostgresReadModels({ connection: this.pool, schema: this.schemas.read, servedSchema: this.schemas.served, flowSchema: this.schemas.flow });
    await queries.served.migrate();
    this.served = queries.served;
    // The provider starts before the status API, which accepts the console's staff tokens from it.
    const identity = this.options.identity ? await this.signIn(`http://127.0.0.1:${webPort}`) : undefined;
    this.status = await createStatusApp({
      caseEvents: this.store,
      queries,
      changeFeed: new PostgresCaseStatusChangeFeed({ connection: TEST_DATABASE_URL, schema: this.schemas.read }),
      caseworkerKeys: this.identityProvider ? staffTokenKeysOf(this.identityProvider) : {},
      notifications: { subscriptions, deliveryLog: new DeliveryLog(this.pool, this.schemas.notifications), deliveryActions: new DeliveryActions(this.pool, this.schemas.notifications), representatives },
      ...(this.options.feedback && {
        feedback: {
          submitter: new FeedbackSubmitter({ events: this.store, secret: FEEDBACK_SECRET }),
          results: new PostgresFeedbackResults({ connection: this.pool, schema: this.schemas.feedback, secret: FEEDBACK_SECRET }),
        },
      }),
      ...(people && {
        myCases: {
          linker: new CaseLinker({ events: this.store, attempts }),
          links: new PostgresCaseLinks({ connection: this.pool, schema: this.schemas.links }),
          representatives,
          assertionKeys: people.publicKeys,
          // Invitations by e-mail to the same SMTP server, linking to the website.
          helpers: { invitations: new HelperInvitations({ events: this.store, grants: helperGrantsRead, mailer: this.sender, websiteUrl: `http://127.0.0.1:${webPort}` }), grants: helperGrantsRead },
        },
      }),
      accessAudit: this.accessAudit,
      // The website passes each visitor's address on; trust it from the loopback only.
      trustProxy: ['127.0.0.1'],
      rateLimit: { max: 10_000, timeWindow: 60_000 },
      subscribeRateLimit: { max: 100, timeWindow: 3_600_000 },
      closeOnShutdown: true,
      logger: false,
    });
    await this.status.listen(0, '127.0.0.1');
    this.statusUrl = `http://127.0.0.1:${(this.status.getHttpServer().address() as AddressInfo).port}`;
    this.web = await startWebServer({
      statusApiUrl: this.statusUrl,
      port: webPort,
      assets: await buildAssets(),
      ...(this.options.feedback && { feedbackSurvey: feedbackSurveyHref }),
      ...(identity && people && { identity: { ...identity, assertions: people.signer } }),
    });
    this.webUrl = this.web.url;
    return this;
  }

  /** The local identity provider with the site registered as a client, and sessions in PostgreSQL: the site's `identity` option. */
  private async signIn(webBaseUrl: string) {
    await migrateSessions(this.pool, this.schemas.identity);
    const keys = await clientKeyPair();
    this.identityProvider = await startLocalIdentityProvider({
      clients: [{ clientId: 'website', publicKey: keys.publicKey, redirectUris: [`${webBaseUrl}/sign-in/callback`], postLogoutRedirectUris: [`${webBaseUrl}/en/signed-out`, `${webBaseUrl}/es/signed-out`] }],
    });
    return {
      relyingParty: new RelyingParty({
        issuer: this.identityProvider.issuer,
        clientId: 'website',
        clientKey: keys.privateKey,
        redirectUri: `${webBaseUrl}/sign-in/callback`,
        apiResource: { resource: STAFF_API_RESOURCE, scope: STAFF_API_SCOPE },
        allowHttpLoopback: true,
      }),
      sessions: new PostgresSessionStore({ pool: this.pool, schema: this.schemas.identity }),
      publicBaseUrl: webBaseUrl,
      secureCookies: true,
    };
  }

  /** Records an event through the intake API, as an agency would; returns the stream revision. */
  async record(receiptNumber: string, type: string, occurredAt: string, data: object): Promise<string> {
    const agency = receiptNumber.startsWith('VBA') ? 'VBA' : 'USCIS';
    const token = await new SignJWT({ agency, scope: 'intake:write' })
      .setProtectedHeader({ alg: 'ES256', kid: `${agency}-web` })
      .setSubject('web-e2e')
      .setIssuer(issuerOf(agency))
      .setIssuedAt()
      .setAudience('case-status-intake')
      .setExpirationTime('5m')
      .sign(this.keys[agency]);
    const address = this.intake?.getHttpServer().address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${address.port}/v1/cases/${receiptNumber}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: randomUUID(), type, occurredAt, data }),
    });
    const body = (await response.json()) as { streamRevision?: string };
    if (response.status !== 201 || !body.streamRevision) throw new Error(`intake refused ${type} for ${receiptNumber}: ${response.status} ${JSON.stringify(body)}`);
    return body.streamRevision;
  }

  /** Waits until the status API shows the case at public `revision` (the projector runs on its own); private events don't move it. */
  async projected(receiptNumber: string, revision: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const response = await fetch(`${this.statusUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query ($r: String!) { caseStatus(receiptNumber: $r) { revision } }', variables: { r: receiptNumber } }),
      });
      const body = (await response.json()) as { data?: { caseStatus: { revision: string } | null } };
      const shown = body.data?.caseStatus?.revision;
      if (shown !== undefined && BigInt(shown) >= BigInt(revision)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the status API never showed revision ${revision} of ${receiptNumber}`);
  }

  /** Projects the weekly flow (it runs only when asked) until it counts `received` cases received in all. */
  async flowCaughtUp(received: number): Promise<void> {
    if (!this.flowProjector) throw new Error('start the site first');
    const counted = async () => (await this.pool.query<{ n: number }>(`SELECT coalesce(sum(received), 0)::int AS n FROM "${this.schemas.flow}".weekly_flow`)).rows[0].n;
    // A transaction open anywhere in the cluster holds back what readers of the store see until it ends (docs/adr/0002).
    for (let attempt = 0; attempt < 400; attempt++) {
      await this.flowProjector.catchUp();
      if ((await counted()) >= received) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the weekly flow never counted ${received} cases received`);
  }

  /** The token of the survey link a decision of the case brings its applicant (as the notifier makes it). */
  surveyLink(receiptNumber: string): string {
    return new SurveyLinks({ secret: FEEDBACK_SECRET }).issue(receiptNumber).token;
  }

  /**
   * Survey answers given `at` (a closed quarter is published), one per decided case, with
   * every statement answered `agreement` (1–5); waits until the projection counts them.
   */
  async feedbackGiven(at: Date, cases: { receiptNumber: string; agency: string; formType: string }[], agreement: number): Promise<void> {
    if (!this.store || !this.feedbackProjector) throw new Error('start the site with { feedback: true } first');
    const counted = async () => (await this.pool.query<{ n: number }>(`SELECT coalesce(sum(responses), 0)::int AS n FROM "${this.schemas.feedback}".group_responses`)).rows[0].n;
    const expected = (await counted()) + cases.length;
    const submitter = new FeedbackSubmitter({ events: this.store, secret: FEEDBACK_SECRET, clock: () => at });
    for (const facts of cases) {
      await submitter.submit({ ...facts, decided: true }, { satisfaction: agreement, trust: agreement, effectiveness: agreement, ease: agreement, efficiency: agreement, equity: agreement, employeeHelpfulness: agreement }, 'en');
    }
    // A transaction open anywhere in the cluster holds back what readers of the store see until it ends (docs/adr/0002).
    for (let attempt = 0; attempt < 400; attempt++) {
      await this.feedbackProjector.catchUp();
      if ((await counted()) >= expected) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the feedback projection never counted ${cases.length} more responses`);
  }

  /**
   * The unsubscribe token of an address's subscription to a case (it is only ever sent in
   * notification emails, and the table keeps only its hash: it is derived with the key).
   */
  async unsubscribeToken(receiptNumber: string, email: string): Promise<string> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM "${this.schemas.notifications}".email_subscriptions WHERE receipt_number = $1 AND lower(email) = lower($2)`,
      [receiptNumber, email],
    );
    return NotificationKeys.development().unsubscribeToken(rows[0].id);
  }

  /** The projector's pass over the record of served estimates, now: today's sample, then the scores. */
  async recordServedEstimates(at = new Date()): Promise<void> {
    if (!this.served) throw new Error('the site is not started');
    await this.served.recordDay(at);
    await this.served.score(at);
  }

  async stop(): Promise<void> {
    await this.web?.close();
    await this.identityProvider?.close();
    await this.status?.close();
    await this.projector?.stop();
    await this.projecting;
    await this.linksProjector?.stop();
    await this.linksProjecting;
    await this.representativesProjector?.stop();
    await this.representativesProjecting;
    await this.helpersProjector?.stop();
    await this.helpersProjecting;
    await this.intake?.close();
    await this.store?.close();
    this.sender?.close();
    await this.smtp.stop();
    for (const schema of Object.values(this.schemas)) await dropSchema(this.pool, schema);
    await this.pool.end();
  }
}

