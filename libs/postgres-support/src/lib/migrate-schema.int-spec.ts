import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrateSchema, type SchemaMigration } from './postgres-support';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

describe('migrateSchema on real PostgreSQL', () => {
  const schema = `support_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const first: SchemaMigration = { version: 1, name: 'things', sql: (s) => `CREATE TABLE "${s}".things (id int PRIMARY KEY)` };
  const second: SchemaMigration = { version: 2, name: 'thing names', sql: (s) => `ALTER TABLE "${s}".things ADD COLUMN name text` };

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('applies missing migrations in version order, once, even when started together', async () => {
    const results = await Promise.all([migrateSchema(pool, schema, [second, first], 'test'), migrateSchema(pool, schema, [first, second], 'test')]);
    expect(results.map((applied) => applied.join(',')).sort()).toEqual(['', '1,2']);
    const { rows } = await pool.query(`SELECT version, name FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows).toEqual([{ version: 1, name: 'things' }, { version: 2, name: 'thing names' }]);
  });

  it('rolls a failing migration back entirely, recording nothing of it', async () => {
    const broken: SchemaMigration = { version: 3, name: 'broken', sql: (s) => `CREATE TABLE "${s}".more (id int); SELECT no_such_function()` };
    await expect(migrateSchema(pool, schema, [first, second, broken], 'test')).rejects.toThrow(/no_such_function/);
    const { rows } = await pool.query(`SELECT to_regclass($1) AS more, (SELECT max(version) FROM "${schema}".schema_migrations) AS latest`, [`${schema}.more`]);
    expect(rows[0]).toEqual({ more: null, latest: 2 });
  });
});
