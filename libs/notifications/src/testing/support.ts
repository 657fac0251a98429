import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { RecordingLogger as Recording } from '@case-status/logging';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
export const KAFKA_BROKERS = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

/** A fresh valid USCIS receipt number. */
export const newReceiptNumber = () => `IOE${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Keeps every log line (NOTIFIER_TEST_LOG=1 echoes it), so a test can check that no personal data was logged. */
export class RecordingLogger extends Recording {
  constructor() {
    super(process.env['NOTIFIER_TEST_LOG'] === '1');
  }
}

/** The token of a confirm/unsubscribe link in an email text. */
export function linkToken(text: string, action: 'confirm' | 'unsubscribe'): string {
  const match = new RegExp(`(https?://\\S+/notifications/${action}\\?token=[A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${action} link in:\n${text}`);
  return new URL(match[1]).searchParams.get('token') as string;
}

export function linkUrl(text: string, action: 'confirm' | 'unsubscribe'): string {
  const match = new RegExp(`(https?://\\S+/notifications/${action}\\?token=[A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${action} link in:\n${text}`);
  return match[1];
}

/** Retries an assertion until it passes; the test's own timeout bounds it. */
export async function eventually<T>(check: () => Promise<T>, intervalMs = 25): Promise<T> {
  for (;;) {
    try {
      return await check();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
