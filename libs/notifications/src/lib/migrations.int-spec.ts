import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { migrate, MIGRATIONS } from './migrations';
import { NotificationKeys } from './notification-keys';
import { SubscriptionService } from './subscription.service';
import { dropSchema, newReceiptNumber, RecordingLogger, TEST_DATABASE_URL, uniqueName } from '../testing/support';

const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 5 });
const schema = uniqueName('notif_migrate');
const firstKey = randomBytes(32);
const secondKey = randomBytes(32);

afterAll(async () => {
  await dropSchema(pool, schema);
  await pool.end();
});

const service = (keys: NotificationKeys) =>
  new SubscriptionService({
    pool,
    schema,
    keys,
    email: { send: async () => undefined, close: () => undefined },
    publicBaseUrl: 'https://status.example.gov',
    webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false },
    logger: new RecordingLogger(),
  });

describe('migration 3 on rows stored the old way', () => {
  const subscriptionId = randomUUID();
  const endpointId = randomUUID();
  const mailedToken = randomBytes(32).toString('base64url');
  const secret = `whsec_${randomBytes(32).toString('base64')}`;

  beforeAll(async () => {
    await migrate(pool, schema, undefined, MIGRATIONS.filter((migration) => migration.version < 3));
    await pool.query(
      `INSERT INTO "${schema}".email_subscriptions (id, agency, receipt_number, email, language, status, confirmed_at, unsubscribe_token)
       VALUES ($1, 'USCIS', $2, 'old@example.org', 'en', 'active', now(), $3)`,
      [subscriptionId, newReceiptNumber(), mailedToken],
    );
    await pool.query(
      `INSERT INTO "${schema}".webhook_endpoints (id, agency, url, secret, owner, status) VALUES ($1, 'USCIS', 'https://hooks.example.org/old', $2, 'old-owner', 'active')`,
      [endpointId, secret],
    );
  });

  it('seals the secrets and hashes the tokens, so none is left in clear, and loses none', async () => {
    const keys = new NotificationKeys(firstKey);
    expect(await migrate(pool, schema, keys)).toEqual([3, 4, 5, 6]);
    const tables = JSON.stringify([
      (await pool.query(`SELECT * FROM "${schema}".email_subscriptions`)).rows,
      (await pool.query(`SELECT * FROM "${schema}".webhook_endpoints`)).rows,
    ]);
    expect(tables).not.toContain(mailedToken);
    expect(tables).not.toContain(secret.slice('whsec_'.length));
    const { rows } = await pool.query<{ secret: string | null; secret_sealed: string }>(`SELECT secret, secret_sealed FROM "${schema}".webhook_endpoints WHERE id = $1`, [endpointId]);
    expect(rows[0].secret).toBeNull();
    expect(keys.open(rows[0].secret_sealed, `webhook-secret:${endpointId}`)).toBe(secret);
    // The link in emails already sent still works, and so will the one in the next email.
    const subscriptions = service(keys);
    expect(await subscriptions.unsubscribe(mailedToken)).toMatchObject({ subscriptionId, unsubscribedNow: true });
    expect(await subscriptions.unsubscribe(keys.unsubscribeToken(subscriptionId))).toMatchObject({ subscriptionId, unsubscribedNow: false });
  });

  it('seals again with a new key at the next start, keeping the previous email link working', async () => {
    const rotated = new NotificationKeys(secondKey, [firstKey]);
    expect(await migrate(pool, schema, rotated)).toEqual([]);
    const { rows } = await pool.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM "${schema}".webhook_endpoints WHERE id = $1`, [endpointId]);
    expect(NotificationKeys.keyIdOf(rows[0].secret_sealed)).toBe(rotated.currentKeyId);
    expect(new NotificationKeys(secondKey).open(rows[0].secret_sealed, `webhook-secret:${endpointId}`)).toBe(secret);
    const subscriptions = service(rotated);
    const previousLink = new NotificationKeys(firstKey).unsubscribeToken(subscriptionId);
    expect(await subscriptions.unsubscribe(previousLink)).toMatchObject({ subscriptionId });
    expect(await subscriptions.unsubscribe(rotated.unsubscribeToken(subscriptionId))).toMatchObject({ subscriptionId });
    // A second run finds nothing left to do.
    expect(await migrate(pool, schema, rotated)).toEqual([]);
    const again = await pool.query<{ secret_sealed: string }>(`SELECT secret_sealed FROM "${schema}".webhook_endpoints WHERE id = $1`, [endpointId]);
    expect(again.rows[0].secret_sealed).toBe(rows[0].secret_sealed);
  });

  it('leaves alone, and starts beside, rows of a key it does not know: an instance still on the older key mid-rotation rewrites nothing back', async () => {
    const before = (await pool.query(`SELECT secret_sealed, unsubscribe_token_hash, unsubscribe_key_id, legacy_unsubscribe_token_hash FROM "${schema}".webhook_endpoints e, "${schema}".email_subscriptions s WHERE e.id = $1 AND s.id = $2`, [endpointId, subscriptionId])).rows;
    const olderInstance = new NotificationKeys(firstKey);
    expect(await migrate(pool, schema, olderInstance)).toEqual([]);
    const after = (await pool.query(`SELECT secret_sealed, unsubscribe_token_hash, unsubscribe_key_id, legacy_unsubscribe_token_hash FROM "${schema}".webhook_endpoints e, "${schema}".email_subscriptions s WHERE e.id = $1 AND s.id = $2`, [endpointId, subscriptionId])).rows;
    expect(after).toEqual(before);
    expect(after[0].unsubscribe_key_id).toBe(new NotificationKeys(secondKey).currentKeyId);
  });
});
