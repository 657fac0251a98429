import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { FORWARDING_KEY_HEADER } from '@case-status/http-support';
import { UnsubscribeDocument } from './operations.generated';
import { answered, httpTransport, inProcessTransport, StatusApiClient, StatusApiProblem, type StatusApiTransport } from './status-api.client';

const KEY = 'k'.repeat(32);

/** A stand-in for the status API that answers what each test sets and keeps what it was sent. */
async function fakeStatusApi() {
  let next = { status: 200, body: '{}', delayMs: 0 };
  const seen: Pick<FastifyRequest, 'headers' | 'body' | 'url'>[] = [];
  const app = Fastify();
  let delayed: Promise<unknown> = Promise.resolve();
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    seen.push({ headers: request.headers, body: request.body, url: request.url });
    if (next.delayMs) await (delayed = new Promise((resolve) => setTimeout(resolve, next.delayMs)));
    return reply.code(next.status).header('content-type', 'application/json').send(next.body);
  };
  app.post('/graphql', handler);
  app.get('/feedback/results.csv', handler);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url, seen, answer: (status: number, body: string, delayMs = 0) => (next = { status, body, delayMs }), answeredLate: () => delayed };
}

describe.each([
  ['over HTTP', (api: { url: string }) => httpTransport(api.url)],
  ['in process', (api: { app: FastifyInstance }) => inProcessTransport(api.app)],
])('the status API client %s', (_name, transportOf: (api: { url: string; app: FastifyInstance }) => StatusApiTransport) => {
  let api: Awaited<ReturnType<typeof fakeStatusApi>>;
  let client: StatusApiClient;

  beforeAll(async () => {
    api = await fakeStatusApi();
    client = new StatusApiClient({ transport: transportOf(api), forwardingKey: KEY, timeoutMs: 500 });
  });

  afterAll(async () => {
    client.close();
    await api.app.close();
  });

  it('sends the operation and its variables, naming the visitor with the forwarding key', async () => {
    api.answer(200, JSON.stringify({ data: { unsubscribe: { receiptNumber: 'IOE0912345678', unsubscribedNow: true } } }));
    const data = await client.send(UnsubscribeDocument, { token: 't0k' }, '203.0.113.9');
    expect(data.unsubscribe).toEqual({ receiptNumber: 'IOE0912345678', unsubscribedNow: true });
    const sent = api.seen.at(-1);
    expect(sent?.body).toEqual({ query: 'mutation Unsubscribe($token:String!){unsubscribe(token:$token){receiptNumber unsubscribedNow}}', variables: { token: 't0k' } });
    expect([sent?.headers['x-forwarded-for'], sent?.headers[FORWARDING_KEY_HEADER]]).toEqual(['203.0.113.9', KEY]);
  });

  it('turns the first error into a problem with its code, its wait and the input it names', async () => {
    api.answer(200, JSON.stringify({ data: null, errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 42, argument: 'answers' } }] }));
    await expect(client.send(UnsubscribeDocument, { token: 't' }, undefined)).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 42, argument: 'answers' });
    expect(api.seen.at(-1)?.headers['x-forwarded-for']).toBeUndefined();
  });

  it.each([
    ['an answer that is not JSON', 502, '<html>bad gateway</html>'],
    ['an answer without data', 200, '{}'],
  ])('takes %s as the API being unavailable', async (_what, status, body) => {
    api.answer(status, body);
    await expect(client.send(UnsubscribeDocument, { token: 't' }, undefined)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('gives up on an API that does not answer in time', async () => {
    api.answer(200, '{}', 800);
    await expect(client.send(UnsubscribeDocument, { token: 't' }, undefined)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('within 500 ms') });
    await api.answeredLate();
  });

  it('passes a GET of another route on as it was answered', async () => {
    api.answer(429, 'later');
    const answer = await client.get('/feedback/results.csv?agency=USCIS', 'text/csv', '198.51.100.7');
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 429, body: 'later' });
    expect(api.seen.at(-1)).toMatchObject({ url: '/feedback/results.csv?agency=USCIS', headers: { accept: 'text/csv', 'x-forwarded-for': '198.51.100.7' } });
  });
});

describe('a status API that cannot be reached', () => {
  it('is unavailable', async () => {
    const client = new StatusApiClient({ transport: httpTransport('http://127.0.0.1:9') });
    await expect(client.send(UnsubscribeDocument, { token: 't' }, undefined)).rejects.toBeInstanceOf(StatusApiProblem);
    client.close();
  });
});

describe('a root field the page needs', () => {
  it('is a failure when the API answers it with null', () => {
    expect(answered({ quarter: '2027Q1' }, 'submitFeedback')).toEqual({ quarter: '2027Q1' });
    expect(() => answered(null, 'submitFeedback')).toThrow(expect.objectContaining({ code: 'UNAVAILABLE' }));
  });
});
