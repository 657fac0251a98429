import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, signingKey } from '../../testing';
import { CaseStatusChangeBroadcaster } from './case-status-changed';
import { createStatusApp } from '../status.app';

/** Waits for a condition the server reaches asynchronously (a subscription registered, a listener gone). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const SUBSCRIBE = 'subscription ($r: String!) { caseStatusChanged(receiptNumber: $r) { receiptNumber statusCode revision text(language: ES) } }';

describe('caseStatusChanged subscription over graphql-ws, on a listening server', () => {
  const readModels = new InMemoryReadModels();
  const feed = new InMemoryCaseStatusChangeFeed();
  let app: NestFastifyApplication;
  let broadcaster: CaseStatusChangeBroadcaster;
  let client: Client;

  const iterate = (receiptNumber: string) => client.iterate<{ caseStatusChanged: Record<string, unknown> }>({ query: SUBSCRIBE, variables: { r: receiptNumber } });

  beforeAll(async () => {
    readModels.put(caseView({ receiptNumber: 'IOE0912345678' }));
    readModels.put(caseView({ receiptNumber: 'IOE0912345679' }));
    app = await createStatusApp({
      queries: readModels,
      changeFeed: feed,
      caseworkerKeys: agencyKeys({ VBA: await signingKey('vba-1') }),
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    broadcaster = app.get(CaseStatusChangeBroadcaster);
    client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  });

  afterAll(async () => {
    await client?.dispose();
    await app?.close();
  });

  it('pushes the new status of the case each time the change feed reports it, and nothing for other cases', async () => {
    const updates = iterate('IOE0912345678');
    const next = updates.next();
    await until(() => broadcaster.watching('IOE0912345678') === 1);

    readModels.put(caseView({ receiptNumber: 'IOE0912345679', statusCode: 'CASE_APPROVED', revision: '9' }));
    feed.emit({ agency: 'USCIS', receiptNumber: 'IOE0912345679', revision: '9' });
    readModels.put(caseView({ receiptNumber: 'IOE0912345678', statusCode: 'CASE_IN_REVIEW', step: 'in_review', statusText: { en: 'In review.', es: 'En revisión.' }, revision: '1' }));
    feed.emit({ agency: 'USCIS', receiptNumber: 'IOE0912345678', revision: '1' });
    expect((await next).value).toEqual({ data: { caseStatusChanged: { receiptNumber: 'IOE0912345678', statusCode: 'CASE_IN_REVIEW', revision: '1', text: 'En revisión.' } } });

    readModels.put(caseView({ receiptNumber: 'IOE0912345678', statusCode: 'EVIDENCE_REQUESTED', step: 'evidence', revision: '2' }));
    feed.emit({ agency: 'USCIS', receiptNumber: 'IOE0912345678', revision: '2' });
    expect((await updates.next()).value).toMatchObject({ data: { caseStatusChanged: { statusCode: 'EVIDENCE_REQUESTED', revision: '2' } } });

    await updates.return?.();
    await until(() => broadcaster.watching('IOE0912345678') === 0);
  });

  it('listens to the feed once for the whole application, however many subscribers', async () => {
    const first = iterate('IOE0912345678');
    const second = iterate('IOE0912345678');
    const [a, b] = [first.next(), second.next()];
    await until(() => broadcaster.watching('IOE0912345678') === 2);
    expect(feed.listenerCount).toBe(1);

    const readsBefore = readModels.caseStatusReads;
    feed.emit({ agency: 'USCIS', receiptNumber: 'IOE0912345678', revision: '2' });
    expect((await a).value).toMatchObject({ data: { caseStatusChanged: { revision: '2' } } });
    expect((await b).value).toMatchObject({ data: { caseStatusChanged: { revision: '2' } } });
    expect(readModels.caseStatusReads - readsBefore).toBe(1);

    await first.return?.();
    await second.return?.();
    await until(() => broadcaster.watching('IOE0912345678') === 0);
  });

  it('reads nothing for a change of a case nobody watches', async () => {
    const readsBefore = readModels.caseStatusReads;
    feed.emit({ agency: 'USCIS', receiptNumber: 'IOE0912345679', revision: '10' });
    expect(readModels.caseStatusReads).toBe(readsBefore);
  });

  it.each([
    ['an invalid receipt number', 'IOE123', 'INVALID_RECEIPT_NUMBER'],
    ['a case that does not exist', 'IOE0000000001', 'NOT_FOUND'],
  ])('refuses a subscription to %s with a coded error', async (_title, receipt, code) => {
    const errors = await iterate(receipt)
      .next()
      .then(
        () => [],
        (error: unknown) => error,
      );
    expect(errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code }) })]);
  });

  it('validates subscriptions like queries', async () => {
    const errors = await client
      .iterate({ query: 'subscription { caseStatusChanged(receiptNumber: "IOE0912345678") { applicantName } }' })
      .next()
      .then(
        () => [],
        (error: unknown) => error,
      );
    expect(errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' }, message: expect.stringContaining('applicantName') })]);
  });

  it('stops listening to the feed when the application shuts down', async () => {
    const other = await createStatusApp({ queries: readModels, changeFeed: feed, caseworkerKeys: {}, logger: false });
    expect(feed.listenerCount).toBe(2);
    await other.close();
    expect(feed.listenerCount).toBe(1);
  });
});
