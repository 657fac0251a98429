import { Pool } from 'pg';
import { consoleLogger, useLogFormat, type LogFormat } from '@case-status/logging';
import { SmtpEmailSender } from './email.channel';
import { migrate } from './migrations';
import { SubscriptionService } from './subscription.service';
import { SmtpCapture } from '../testing/smtp-capture';
import { dropSchema, linkToken, newReceiptNumber, TEST_DATABASE_URL, uniqueName } from '../testing/support';

/**
 * What the subscription service writes to the console, as a service's `main` sets it up (the
 * console logger, JSON lines), while a real SMTP server refuses an address and quotes it back.
 */
const schema = uniqueName('notif_logs');
const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 5 });
const smtp = new SmtpCapture();
let sender: SmtpEmailSender;
let service: SubscriptionService;
const REFUSED = { json: 'nora.refused@example.org', pretty: 'nora.refused@example.net' };
const ACCEPTED = { json: 'omar.accepted@example.org', pretty: 'omar.accepted@example.net' };

beforeAll(async () => {
  Object.values(REFUSED).forEach((address) => smtp.refuse(address));
  await Promise.all([smtp.start(), migrate(pool, schema)]);
  sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
  const webhookUrlPolicy = { allowHttp: false, allowPrivateHosts: false };
  service = new SubscriptionService({ pool, schema, email: sender, publicBaseUrl: 'https://status.example.gov', webhookUrlPolicy, logger: consoleLogger('notifier') });
});

afterAll(async () => {
  useLogFormat('json');
  sender.close();
  await smtp.stop();
  await dropSchema(pool, schema);
  await pool.end();
});

/** Every line written to the console while `work` runs. */
async function consoleLines(work: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spies = (['log', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(String(args[0]));
    }),
  );
  try {
    await work();
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
  return lines;
}

describe.each<LogFormat>(['json', 'pretty'])('the notifier log (%s)', (format) => {
  it('says that a confirmation was refused and who is subscribed, never naming an email address', async () => {
    useLogFormat(format);
    const lines = await consoleLines(async () => {
      await service.subscribe({ receiptNumber: newReceiptNumber(), email: REFUSED[format], language: 'en' });
      await service.subscribe({ receiptNumber: newReceiptNumber(), email: ACCEPTED[format], language: 'es' });
      await service.settled();
      const [confirmation] = await smtp.waitFor(ACCEPTED[format], 1);
      await service.confirm(linkToken(confirmation.text, 'confirm'));
    });
    const refused = lines.filter((line) => line.includes('not sent'));
    expect(refused).toHaveLength(1);
    // The SMTP server's answer is kept (an operator needs it), with the address cut out.
    expect(refused[0]).toContain('<[address]>: Recipient address rejected');
    expect(lines.some((line) => /subscription \S+ confirmed/.test(line))).toBe(true);
    expect(lines.filter((line) => line.includes('@'))).toEqual([]);
    if (format === 'json') for (const line of lines) expect(JSON.parse(line)).toMatchObject({ service: 'notifier', message: expect.any(String) });
  });
});
