import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { CheckpointMovedError } from '@case-status/projection-runner';
import { PostgresRelayCheckpoints } from './relay-checkpoint';

const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test', max: 4 });
const prefix = `relay_ckpt_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

afterAll(async () => {
  const { rows } = await pool.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}%`]);
  for (const row of rows) await pool.query(`DROP SCHEMA IF EXISTS "${row.nspname}" CASCADE`);
  await pool.end();
});

describe('the relay checkpoint on real PostgreSQL', () => {
  it('carries the position an earlier release kept in its own table over, so an upgraded relay neither replays nor skips', async () => {
    const schema = `${prefix}_old`;
    await pool.query(`CREATE SCHEMA "${schema}"`);
    await pool.query(`CREATE TABLE "${schema}".checkpoints (name text PRIMARY KEY, position text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    await pool.query(`INSERT INTO "${schema}".checkpoints (name, position) VALUES ('kafka', '812:40')`);

    const checkpoints = new PostgresRelayCheckpoints({ pool, schema, name: 'kafka' });
    await Promise.all([checkpoints.migrate(), checkpoints.migrate()]);
    expect(await checkpoints.load()).toEqual({ commit: 812n, prepare: 40n });
    expect(await new PostgresRelayCheckpoints({ pool, schema, name: 'in-process' }).load()).toBeUndefined();
    expect((await pool.query(`SELECT to_regclass($1) AS old`, [`${schema}.checkpoints`])).rows).toEqual([{ old: null }]);
  });

  it('moves only from where it was loaded: a second relay on the same name finds it moved', async () => {
    const schema = `${prefix}_cas`;
    const one = new PostgresRelayCheckpoints({ pool, schema });
    const two = new PostgresRelayCheckpoints({ pool, schema });
    await one.migrate();
    expect(await one.load()).toBeUndefined();
    expect(await two.load()).toBeUndefined();
    await one.save({ commit: 5n, prepare: 1n }, 3);
    await expect(two.save({ commit: 6n, prepare: 1n }, 4)).rejects.toThrow(CheckpointMovedError);
    await one.save({ commit: 7n, prepare: 2n }, 2);
    const { rows } = await pool.query(`SELECT projection, position, events_projected::int AS events FROM "${schema}".checkpoint`);
    expect(rows).toEqual([{ projection: 'case.status-changed.v1', position: '7:2', events: 5 }]);
  });
});
