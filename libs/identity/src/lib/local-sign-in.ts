import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import type { Pool } from 'pg';
import { STAFF_API_RESOURCE, STAFF_API_SCOPE, startLocalIdentityProvider, type LocalIdentityProvider } from './local-identity-provider';
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

/** How the status API checks staff tokens of one agency (the shape of agency-auth's `AgencyKeySource`). */
interface StaffTokenKeys {
  issuers: string[];
  jwksUri: string;
}

/**
 * What the status API needs to accept the staff tokens the local provider issues (its
 * `caseworkerKeys`): for each agency the provider has staff of, the provider as issuer and its
 * key set. Development and tests only: the local provider vouches for every agency's staff.
 */
export function staffTokenKeysOf(provider: LocalIdentityProvider): Record<string, StaffTokenKeys> {
  const agencies = new Set(provider.users.flatMap((user) => (user.agency ? [user.agency] : [])));
  return Object.fromEntries([...agencies].map((agency) => [agency, { issuers: [provider.issuer], jwksUri: `${provider.issuer}/jwks` }]));
}

/**
 * Sign-in for a development website in one call: the local identity provider, the site
 * registered with it under a key made for this start, and sessions in `pool`. What `npm start`
 * runs; the result's `web` is the website's `identity` option, and `staffTokenKeys` what the
 * status API needs to accept the console's staff tokens from this provider (its
 * `caseworkerKeys`), for each agency the provider has staff of.
 */
export async function startLocalSignIn(options: LocalSignInOptions): Promise<{
  provider: LocalIdentityProvider;
  web: { relyingParty: RelyingParty; sessions: PostgresSessionStore; publicBaseUrl: string; secureCookies: boolean };
  staffTokenKeys: Record<string, StaffTokenKeys>;
}> {
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
    apiResource: { resource: STAFF_API_RESOURCE, scope: STAFF_API_SCOPE },
    allowHttpLoopback: true,
  });
  return { provider, web: { relyingParty, sessions: new PostgresSessionStore({ pool: options.pool, schema }), publicBaseUrl: options.webBaseUrl, secureCookies: false }, staffTokenKeys: staffTokenKeysOf(provider) };
}
