import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Pool } from 'pg';
import { startLocalIdentityProvider, type LocalIdentityProvider } from './local-identity-provider';
import { PostgresSessionStore } from './postgres-session-store';
import { RelyingParty } from './relying-party';
import { migrateSessions } from './session.migrations';

export interface LocalSignInOptions {
  /** Where sessions are kept. */
  pool: Pool;
  schema?: string;
  /** The website as browsers reach it (plain http on the loopback address). */
  webBaseUrl: string;
  /** Keeps the provider's signing key in `<dataDir>/identity` between starts. */
  dataDir?: string;
  host?: string;
}

/**
 * Sign-in for a development website in one call: the local identity provider, the site
 * registered with it under a key made for this start, and sessions in `pool`. What `npm start`
 * runs; the result's `web` is the website's `identity` option.
 */
export async function startLocalSignIn(options: LocalSignInOptions): Promise<{ provider: LocalIdentityProvider; web: { relyingParty: RelyingParty; sessions: PostgresSessionStore; publicBaseUrl: string; secureCookies: boolean } }> {
  const schema = options.schema ?? 'identity';
  await migrateSessions(options.pool, schema);
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = 'website-development';
  const redirectUri = `${options.webBaseUrl}/sign-in/callback`;
  const provider = await startLocalIdentityProvider({
    host: options.host,
    signingKeyFile: options.dataDir && join(options.dataDir, 'identity', 'provider-signing-key.jwk.json'),
    clients: [
      {
        clientId: 'case-status-website',
        publicKey: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
        redirectUris: [redirectUri],
        postLogoutRedirectUris: [`${options.webBaseUrl}/en/signed-out`, `${options.webBaseUrl}/es/signed-out`],
      },
    ],
  });
  const relyingParty = new RelyingParty({
    issuer: provider.issuer,
    clientId: 'case-status-website',
    clientKey: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' },
    redirectUri,
    allowHttpLoopback: true,
  });
  return { provider, web: { relyingParty, sessions: new PostgresSessionStore({ pool: options.pool, schema }), publicBaseUrl: options.webBaseUrl, secureCookies: false } };
}
