import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { SurveyLinks } from '@case-status/feedback';
import { PostgresRepresentatives, representativesOfRecord } from '@case-status/identity';
import { migrateNotifications, Notifier, SmtpEmailSender } from '@case-status/notifications';
import {
  dropSchema,
  eventually,
  linkToken,
  newReceiptNumber,
  RecordingLogger,
  SmtpCapture,
  statusChanged,
  statusChangedKafkaMessage,
  TEST_DATABASE_URL,
  uniqueName,
  WebhookReceiver,
} from '@case-status/notifications/testing';
import { ProjectionRunner } from '@case-status/projection-runner';

jest.setTimeout(60_000);

const BASE = 'https://status.example.gov';

interface WebhookData {
  eventId: string;
  receiptNumber: string;
  survey?: { url: { en: string; es: string }; expiresAt: string };
}

/**
 * A representative’s webhook, delivered to a real receiver while the representatives
 * projection (real PostgreSQL, fed from a real store by the projection runner) has them of
 * record, and no longer once the agency's withdrawal is projected: the notifier asks the
 * projection before each delivery. The agency's own endpoint on the same case goes on.
 */
describe('webhooks of representatives of record (real PostgreSQL, projection, webhook receiver)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 12 });
  const schemas = { store: uniqueName('rw_store'), representatives: uniqueName('rw_reps'), notifications: uniqueName('rw_notif') };
  const receiver = new WebhookReceiver();
  const smtp = new SmtpCapture();
  const surveyLinks = new SurveyLinks({ secret: 'notifier-survey-link-secret-of-32-bytes-at-least' });
  let sender: SmtpEmailSender;
  let store: PostgresEventStore;
  let projector: ProjectionRunner;
  let notifier: Notifier;

  beforeAll(async () => {
    await Promise.all([receiver.start(), smtp.start(), migrateNotifications(pool, schemas.notifications)]);
    store = await createPostgresEventStore({ connection: pool, schema: schemas.store });
    projector = new ProjectionRunner(representativesOfRecord, { pool, source: store, schema: schemas.representatives });
    await projector.init();
    sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
    notifier = new Notifier({
      pool,
      schema: schemas.notifications,
      email: sender,
      publicBaseUrl: BASE,
      webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: true },
      worker: { pollIntervalMs: 50, concurrency: 2 },
      representatives: new PostgresRepresentatives({ connection: pool, schema: schemas.representatives }),
      surveyLinks,
      logger: new RecordingLogger(),
    });
    await notifier.start();
  });

  afterAll(async () => {
    await notifier?.stop();
    sender?.close();
    await Promise.all([receiver.stop(), smtp.stop()]);
    await store?.close();
    for (const schema of Object.values(schemas)) await dropSchema(pool, schema);
    await pool.end();
  });

  async function record(receiptNumber: string, type: string, data: Record<string, string | Record<string, string>>): Promise<void> {
    await store.appendToStream(`case-USCIS-${receiptNumber}`, [{ id: randomUUID(), type, data, metadata: { occurredAt: '2026-03-01T09:00:00Z' } }], { expectedRevision: 'any' });
    await projector.catchUp();
  }

  async function endpoint(path: string, receiptNumber: string | null, representativeId?: string): Promise<string> {
    const url = receiver.endpoint(path, () => 200);
    const registered = await notifier.subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber, url, owner: `USCIS:${representativeId ?? 'staff'}`, ...(representativeId && { representativeId }) });
    receiver.setSecret(path, registered.secret);
    return registered.id;
  }

  /** Hands a status change of the case to the notifier; returns its event id. */
  async function statusChange(receiptNumber: string, revision: number): Promise<string> {
    const message = statusChangedKafkaMessage(statusChanged({ receiptNumber, streamRevision: String(revision), position: `${revision}:${revision}` }));
    await notifier.accept([message]);
    return message.headers['ce_id'];
  }

  const deliveredTo = (path: string) => receiver.at(path).filter((request) => request.verified.ok).map((request) => (JSON.parse(request.body) as { data: { eventId: string } }).data.eventId);
  const deliveryStatus = async (endpointId: string, eventId: string) =>
    (await pool.query<{ status: string; last_error: string | null }>(`SELECT status, last_error FROM "${schemas.notifications}".deliveries WHERE subscription_id = $1 AND event_id = $2`, [endpointId, eventId])).rows[0];

  it('delivers while the representative is of record and stops at the withdrawal, the agency’s endpoint going on', async () => {
    const receiptNumber = newReceiptNumber();
    await record(receiptNumber, 'CaseReceived', { agency: 'USCIS', receiptNumber, formType: 'I-485', office: 'NBC' });
    await record(receiptNumber, 'RepresentativeAppointed', { representativeId: 'g28-1', name: 'Rita Representative', kind: 'attorney', identity: { email: 'rita@example.org' }, effectiveFrom: '2026-03-01' });
    const rita = await endpoint('/rita', receiptNumber, 'g28-1');
    await endpoint('/agency', receiptNumber);

    const first = await statusChange(receiptNumber, 3);
    await receiver.until(() => deliveredTo('/rita').includes(first) && deliveredTo('/agency').includes(first));

    await record(receiptNumber, 'RepresentativeWithdrawn', { representativeId: 'g28-1' });
    const second = await statusChange(receiptNumber, 4);
    await receiver.until(() => deliveredTo('/agency').includes(second));
    const canceled = await eventually(async () => {
      const delivery = await deliveryStatus(rita, second);
      expect(delivery.status).toBe('canceled');
      return delivery;
    });
    expect(canceled.last_error).toBe('the representative is not of record on the case');
    expect(deliveredTo('/rita')).toEqual([first]);
  });

  it('keeps a delivery for a retry, undelivered, while the projection cannot be read', async () => {
    const schema = uniqueName('rw_unread');
    await migrateNotifications(pool, schema);
    const blind = new Notifier({
      pool,
      schema,
      email: sender,
      publicBaseUrl: 'https://status.example.gov',
      webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: true },
      retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000, jitter: 0 },
      worker: { pollIntervalMs: 50, concurrency: 1 },
      // A schema the projector never made.
      representatives: new PostgresRepresentatives({ connection: pool, schema: uniqueName('rw_missing') }),
      logger: new RecordingLogger(),
    });
    await blind.start();
    try {
      const receiptNumber = newReceiptNumber();
      const url = receiver.endpoint('/blind', () => 200);
      const registered = await blind.subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber, url, owner: 'USCIS:g28-1', representativeId: 'g28-1' });
      const message = statusChangedKafkaMessage(statusChanged({ receiptNumber, streamRevision: '3', position: '3:3' }));
      await blind.accept([message]);
      const row = await eventually(async () => {
        const { rows } = await pool.query<{ status: string; attempts: number; last_error: string | null }>(`SELECT status, attempts, last_error FROM "${schema}".deliveries WHERE subscription_id = $1`, [registered.id]);
        expect(rows[0]).toMatchObject({ status: 'pending', attempts: 1 });
        return rows[0];
      });
      expect(row.last_error).toMatch(/does not exist/);
      expect(receiver.at('/blind')).toEqual([]);
    } finally {
      await blind.stop();
      await dropSchema(pool, schema);
    }
  });

  it('never delivers to a representative the agency has no record of on the case', async () => {
    const receiptNumber = newReceiptNumber();
    await record(receiptNumber, 'CaseReceived', { agency: 'USCIS', receiptNumber, formType: 'I-485', office: 'NBC' });
    await record(receiptNumber, 'RepresentativeAppointed', { representativeId: 'g28-1', name: 'Rita Representative', kind: 'attorney', identity: { email: 'rita@example.org' }, effectiveFrom: '2026-03-01' });
    // Registered directly (the status API would refuse it): the delivery-time check holds on its own.
    const stranger = await endpoint('/stranger', receiptNumber, 'g28-9');
    const change = await statusChange(receiptNumber, 3);
    await eventually(async () => expect((await deliveryStatus(stranger, change)).status).toBe('canceled'));
    expect(receiver.at('/stranger')).toEqual([]);
  });

  /**
   * The applicant's survey link leaves the platform in one place only: the decision as sent to
   * the agency's own endpoint for all its cases, which passes it on with its decision notice.
   * Not to an endpoint for one case, not to a representative's, not by e-mail (anyone who knows
   * a receipt number can follow a case by e-mail), and not with any other change.
   */
  it("sends the applicant's survey link with the decision to the agency's endpoint for all its cases only", async () => {
    const receiptNumber = newReceiptNumber();
    await record(receiptNumber, 'CaseReceived', { agency: 'USCIS', receiptNumber, formType: 'I-485', office: 'NBC' });
    await record(receiptNumber, 'RepresentativeAppointed', { representativeId: 'g28-1', name: 'Rita Representative', kind: 'attorney', identity: { email: 'rita@example.org' }, effectiveFrom: '2026-03-01' });
    const agencyPath = `/agency-${randomUUID()}`;
    await endpoint(agencyPath, null);
    await endpoint('/staff-one-case', receiptNumber);
    await endpoint('/rita-survey', receiptNumber, 'g28-1');
    const subscriber = `stranger-${randomUUID()}@example.org`;
    await notifier.subscriptions.subscribe({ receiptNumber, email: subscriber, language: 'en' });
    const [confirmation] = await smtp.waitFor(subscriber, 1);
    await notifier.subscriptions.confirm(linkToken(confirmation.text, 'confirm'));

    const inReview = statusChangedKafkaMessage(statusChanged({ receiptNumber, eventType: 'ReviewStarted', statusCode: 'CASE_IN_REVIEW', step: 'in_review', streamRevision: '2', position: '2:2' }));
    const decision = statusChangedKafkaMessage(statusChanged({ receiptNumber, streamRevision: '3', position: '3:3' }));
    await notifier.accept([inReview, decision]);
    const received = (path: string) => receiver.at(path).filter((request) => request.verified.ok).map((request) => (JSON.parse(request.body) as { data: WebhookData }).data)
        .filter((data) => data.receiptNumber === receiptNumber);
    await receiver.until(() => ['/staff-one-case', '/rita-survey', agencyPath].every((path) => received(path).length === 2));
    await smtp.until(() => smtp.to(subscriber).length >= 3);

    const [first, decided] = received(agencyPath);
    expect(first).toMatchObject({ eventId: inReview.headers['ce_id'] });
    expect(first.survey).toBeUndefined();
    expect(decided).toMatchObject({ eventId: decision.headers['ce_id'] });
    const survey = decided.survey as NonNullable<WebhookData['survey']>;
    const en = new URL(survey.url.en);
    expect(`${en.origin}${en.pathname}`).toBe(`${BASE}/en/case/${receiptNumber}/feedback`);
    expect(survey.url.es).toBe(survey.url.en.replace('/en/', '/es/'));
    const token = en.searchParams.get('link') as string;
    expect(surveyLinks.accepts(receiptNumber, token)).toBe(true);
    expect(surveyLinks.accepts(newReceiptNumber(), token)).toBe(false);
    expect(new Date(survey.expiresAt).getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);

    for (const path of ['/staff-one-case', '/rita-survey']) expect(received(path).map((data) => data.survey)).toEqual([undefined, undefined]);
    const mails = smtp.to(subscriber).map((mail) => `${mail.text}\n${mail.html}`).join('\n');
    expect(mails).not.toContain('/feedback');
    expect(mails).not.toContain(token);
  });
});
