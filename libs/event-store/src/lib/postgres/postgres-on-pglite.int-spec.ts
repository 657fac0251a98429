import { startEmbeddedPostgres, type EmbeddedPostgres } from '@case-status/embedded-postgres';
import { Pool } from 'pg';
import { describeEventStoreContract } from '../../testing';
import { createPostgresEventStore } from './postgres-event-store';

// The PostgreSQL adapter, unchanged, on the embedded PGlite server the one-process platform
// runs on: one WASM session shared by every connection of the pool.
// Jest's project-level testTimeout is not applied in the root multi-project run, so the
// slow steps pass their own.
jest.setTimeout(30_000);

let embedded: EmbeddedPostgres;
let pool: Pool;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres(); // in memory; a WASM cold start takes seconds
  // Fewer connections than the contract's concurrent writers, as in production.
  pool = new Pool({ connectionString: embedded.connectionString, max: 4 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await embedded?.stop();
}, 30_000);

describeEventStoreContract('PostgreSQL on embedded PGlite', async () => {
  const store = await createPostgresEventStore({ connection: pool, schema: 'contract' });
  return { store, cleanup: () => store.close() };
});
