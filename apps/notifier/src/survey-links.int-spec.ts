import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { SurveyLinks } from '@case-status/feedback';
import { migrateNotifications, Notifier, SmtpEmailSender } from '@case-status/notifications';
import {
  dropSchema,
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

jest.setTimeout(60_000);

const SECRET = 'notifier-survey-link-secret-of-32-bytes-at-least';
const BASE = 'https://status.example.gov';

interface WebhookData {
  eventId: string;
  survey?: { url: { en: string; es: string }; expiresAt: string };
}

/**
 * The applicant's survey link leaves the platform in one place only: the decision as sent to
 * the agency's own endpoint for all its cases, which passes it on with its decision notice.
 * Not to an endpoint for one case, not to a representative's, not by e-mail (anyone who knows
 * a receipt number can follow a case by e-mail), and not with any other change.
 */
describe('survey links with decisions (real PostgreSQL, webhook receiver, SMTP)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 8 });
  const schema = uniqueName('sl_notif');
  const receiver = new WebhookReceiver();
  const smtp = new SmtpCapture();
  const links = new SurveyLinks({ secret: SECRET });
  let sender: SmtpEmailSender;
  let notifier: Notifier;

  beforeAll(async () => {
    await Promise.all([receiver.start(), smtp.start(), migrateNotifications(pool, schema)]);
    sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
    notifier = new Notifier({
      pool,
      schema,
      email: sender,
      publicBaseUrl: BASE,
      webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: true },
      worker: { pollIntervalMs: 50, concurrency: 2 },
      // Every representative counts as of record here: what is checked is who gets the link.
      representatives: { isOfRecord: () => Promise.resolve(true) },
      surveyLinks: links,
      logger: new RecordingLogger(),
    });
    await notifier.start();
  });

  afterAll(async () => {
    await notifier?.stop();
    sender?.close();
    await Promise.all([receiver.stop(), smtp.stop()]);
    await dropSchema(pool, schema);
    await pool.end();
  });

  async function endpoint(path: string, receiptNumber: string | null, representativeId?: string): Promise<void> {
    const url = receiver.endpoint(path, () => 200);
    const registered = await notifier.subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber, url, owner: `USCIS:${representativeId ?? 'staff'}`, ...(representativeId && { representativeId }) });
    receiver.setSecret(path, registered.secret);
  }

  const received = (path: string) => receiver.at(path).filter((request) => request.verified.ok).map((request) => (JSON.parse(request.body) as { data: WebhookData }).data);

  it("sends a working link for the decided case to the agency's endpoint only, and with the decision only", async () => {
    const receiptNumber = newReceiptNumber();
    const agencyPath = `/agency-${randomUUID()}`;
    await endpoint(agencyPath, null);
    await endpoint('/staff-one-case', receiptNumber);
    await endpoint('/representative', receiptNumber, 'g28-1');
    const subscriber = `stranger-${randomUUID()}@example.org`;
    const before = smtp.to(subscriber).length;
    await notifier.subscriptions.subscribe({ receiptNumber, email: subscriber, language: 'en' });
    const [confirmation] = (await smtp.waitFor(subscriber, before + 1)).slice(-1);
    await notifier.subscriptions.confirm(linkToken(confirmation.text, 'confirm'));

    const inReview = statusChangedKafkaMessage(statusChanged({ receiptNumber, eventType: 'ReviewStarted', statusCode: 'CASE_IN_REVIEW', step: 'in_review', streamRevision: '2', position: '2:2' }));
    const decision = statusChangedKafkaMessage(statusChanged({ receiptNumber, streamRevision: '3', position: '3:3' }));
    await notifier.accept([inReview, decision]);
    await receiver.until(() => ['/staff-one-case', '/representative', agencyPath].every((path) => received(path).length === 2));
    await smtp.until(() => smtp.to(subscriber).length >= before + 3);

    const [first, decided] = received(agencyPath);
    expect(first).toMatchObject({ eventId: inReview.headers['ce_id'] });
    expect(first.survey).toBeUndefined();
    expect(decided).toMatchObject({ eventId: decision.headers['ce_id'] });
    const survey = decided.survey as NonNullable<WebhookData['survey']>;
    const en = new URL(survey.url.en);
    expect(`${en.origin}${en.pathname}`).toBe(`${BASE}/en/case/${receiptNumber}/feedback`);
    expect(survey.url.es).toBe(survey.url.en.replace('/en/', '/es/'));
    const token = en.searchParams.get('link') as string;
    expect(links.accepts(receiptNumber, token)).toBe(true);
    expect(links.accepts(newReceiptNumber(), token)).toBe(false);
    expect(new Date(survey.expiresAt).getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);

    for (const path of ['/staff-one-case', '/representative']) expect(received(path).map((data) => data.survey)).toEqual([undefined, undefined]);
    const mails = smtp.to(subscriber).map((mail) => `${mail.text}\n${mail.html}`).join('\n');
    expect(mails).not.toContain('/feedback');
    expect(mails).not.toContain(token);
  });
});
