import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/** One agency sends as fast as it can here: its rate limits would measure themselves. */
export const UNLIMITED_INTAKE = { INTAKE_RATE_LIMIT_PER_MINUTE: '100000000', INTAKE_EVENT_LIMIT_PER_MINUTE: '100000000' };

export interface IntakeCredentials {
  /** The intake's INTAKE_AGENCY_KEYS_FILE: USCIS with a fresh ES256 key. */
  keysFile: string;
  /** A USCIS token with `intake:write`, valid for an hour. */
  token: string;
  /** Deletes the keys file and its folder. */
  remove(): void;
}

/** A fresh signing key for USCIS, written where an intake started by a benchmark reads it, and a token it accepts. */
export async function intakeCredentials(label: string): Promise<IntakeCredentials> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const dir = mkdtempSync(join(tmpdir(), `bench-${label}-`));
  const keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, JSON.stringify({ USCIS: { issuers: ['https://login.uscis.example'], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'ES256' }] } } }));
  const token = await new SignJWT({ agency: 'USCIS', scope: 'intake:write' })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench' })
    .setSubject('bench')
    .setIssuer('https://login.uscis.example')
    .setIssuedAt()
    .setAudience('case-status-intake')
    .setExpirationTime('1h')
    .sign(privateKey);
  return { keysFile, token, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
