/**
 * Several status API instances: a GraphQL subscription gets a case's changes whichever
 * instance the client reached. Two instances run on the same read models; the projector
 * commits a change once; the subscriber on each instance is pushed it, because every instance
 * LISTENs to the projector's announcements in PostgreSQL (nothing is held in one instance).
 */
import { Pool } from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { aCaseHistory, aReceiptNumber, storedCaseEvent } from '@case-status/messaging/testing';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { ProjectionRunner } from '@case-status/projection-runner';
import { startStatusApi } from '@case-status/public-api';
import { caseReadModels } from '@case-status/read-models';

jest.setTimeout(60_000);

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const suffix = `${process.pid}_${Date.now()}`;
const schemas = { store: `subs_store_${suffix}`, read: `subs_read_${suffix}`, served: `subs_served_${suffix}` };

type StatusApi = Awaited<ReturnType<typeof startStatusApi>>;

describe('live updates with two status API instances', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  const instances: StatusApi[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema: schemas.store });
    runner = new ProjectionRunner(caseReadModels, { pool, source: store, schema: schemas.read, lagLogIntervalMs: 0 });
    await runner.init();
    for (let i = 0; i < 2; i++) {
      instances.push(
        await startStatusApi({
          databaseUrl: TEST_DATABASE_URL,
          readModelSchema: schemas.read,
          servedSchema: schemas.served,
          caseworkerKeys: {},
          rateLimit: { max: 1_000, timeWindow: 60_000 },
          port: 0,
          host: '127.0.0.1',
          logger: false,
        }),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all(instances.map((instance) => instance.stop()));
    await store?.close();
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('pushes a change committed once to the subscribers of every instance', async () => {
    const receiptNumber = aReceiptNumber();
    const [received, reviewStarted] = aCaseHistory(receiptNumber);
    const streamId = `case-USCIS-${receiptNumber}`;
    await store.appendToStream(streamId, [storedCaseEvent(received)], { expectedRevision: 'no_stream' });
    await runner.catchUp();

    const updates = instances.map((instance) => {
      const client = createClient({ url: `${instance.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
      clients.push(client);
      return client.iterate<{ caseStatusChanged: { receiptNumber: string; revision: string; statusCode: string } }>({
        query: 'subscription ($r: String!) { caseStatusChanged(receiptNumber: $r) { receiptNumber revision statusCode } }',
        variables: { r: receiptNumber },
      });
    });
    const firsts = updates.map((iterator) => iterator.next());
    // Both subscriptions registered: each instance answers its subscribers only after this.
    await new Promise((resolve) => setTimeout(resolve, 500));

    await store.appendToStream(streamId, [storedCaseEvent(reviewStarted)], { expectedRevision: 0n });
    await runner.catchUp();

    const pushed = await Promise.all(firsts);
    expect(pushed.map((result) => result.value)).toEqual([
      { data: { caseStatusChanged: { receiptNumber, revision: '1', statusCode: 'CASE_IN_REVIEW' } } },
      { data: { caseStatusChanged: { receiptNumber, revision: '1', statusCode: 'CASE_IN_REVIEW' } } },
    ]);
    await Promise.all(updates.map((iterator) => iterator.return?.()));
  });
});
