import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, PRODUCTION_WEBHOOK_URL_POLICY, signWebhook, validateWebhookUrl } from './webhook-signing';

describe('newWebhookSecret', () => {
  it('is whsec_ + base64 of 32 random bytes, different every time', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });
});

describe('signWebhook', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ type: 'case.status-changed.v1', data: { receiptNumber: 'IOE0912345678' } });

  it('produces headers the standardwebhooks library verifies', () => {
    const headers = signWebhook(secret, 'msg_1', new Date(), body);
    expect(headers['webhook-id']).toBe('msg_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, { ...headers })).toEqual(JSON.parse(body));
  });

  it('fails verification for another secret, a changed body, id or timestamp', () => {
    const headers = signWebhook(secret, 'msg_1', new Date(), body);
    expect(() => new Webhook(newWebhookSecret()).verify(body, { ...headers })).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(body.replace('IOE', 'EAC'), { ...headers })).toThrow('No matching signature found');
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'msg_2' })).toThrow('No matching signature found');
    const earlier = String(Number(headers['webhook-timestamp']) - 1);
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-timestamp': earlier })).toThrow('No matching signature found');
  });

  it('is refused by receivers when the timestamp is too old (replay)', () => {
    const headers = signWebhook(secret, 'msg_1', new Date(Date.now() - 10 * 60_000), body);
    expect(() => new Webhook(secret).verify(body, { ...headers })).toThrow('Message timestamp too old');
  });
});

describe('validateWebhookUrl', () => {
  const dev = { allowHttp: true, allowPrivateHosts: true };

  it('accepts https endpoints and normalises them', () => {
    expect(validateWebhookUrl(' https://hooks.example.org/case-status ', PRODUCTION_WEBHOOK_URL_POLICY)).toBe('https://hooks.example.org/case-status');
  });

  it.each([
    ['', 'the URL is empty'],
    ['not a url', 'not an absolute URL'],
    ['http://hooks.example.org/x', 'the scheme must be https, not http'],
    ['ftp://hooks.example.org/x', 'the scheme must be https, not ftp'],
    ['https://user:pw@hooks.example.org/x', 'must not contain a user name or password'],
    ['https://hooks.example.org/x#frag', 'must not contain a #fragment'],
    ['https://127.0.0.1/x', 'local or private address'],
    ['https://10.1.2.3/x', 'local or private address'],
    ['https://169.254.169.254/latest/meta-data', 'local or private address'],
    ['https://192.168.0.10/x', 'local or private address'],
    ['https://[::1]/x', 'local or private address'],
    ['https://[::ffff:169.254.169.254]/x', 'local or private address'],
    ['https://[fd00:ec2::254]/x', 'local or private address'],
    ['https://100.64.0.1/x', 'local or private address'],
    ['https://224.0.0.1/x', 'local or private address'],
    ['https://0.0.0.0/x', 'local or private address'],
    ['https://localhost./x', 'local or private address'],
    ['https://metadata.google.internal/x', 'local or private address'],
    // Other spellings of an IPv4 address, which URL parsing turns into the dotted form.
    ['https://2130706433/x', 'the host 127.0.0.1 is a local or private address'],
    ['https://0x7f.1/x', 'the host 127.0.0.1 is a local or private address'],
    ['https://localhost/x', 'local or private address'],
  ])('refuses %j in production: %s', (url, reason) => {
    expect(() => validateWebhookUrl(url, PRODUCTION_WEBHOOK_URL_POLICY)).toThrow(reason);
  });

  it('lets a development policy allow http and local hosts', () => {
    expect(validateWebhookUrl('http://127.0.0.1:8080/hook', dev)).toBe('http://127.0.0.1:8080/hook');
    expect(() => validateWebhookUrl('ftp://127.0.0.1/x', dev)).toThrow('the scheme must be https or http, not ftp');
  });
});
