import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

describe('embedded PostgreSQL with a data directory', () => {
  it('keeps what was committed across a stop and a start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-'));
    try {
      const first = await startEmbeddedPostgres({ dataDir });
      const pool = new Pool({ connectionString: first.connectionString, max: 1 });
      await pool.query('CREATE TABLE kept (value text)');
      await pool.query("INSERT INTO kept VALUES ('still here')");
      await pool.end();
      await first.stop();

      const second = await startEmbeddedPostgres({ dataDir });
      const again = new Pool({ connectionString: second.connectionString, max: 1 });
      const { rows } = await again.query('SELECT value FROM kept');
      await again.end();
      await second.stop();
      expect(rows).toEqual([{ value: 'still here' }]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two cold starts of the WASM database.
  }, 60_000);
});
