import { onOff, parsed, port, readConfig, secret, text, url } from '@case-status/config';
import type { JWK } from 'jose';
import { parseForwardingKey, parseTrustProxy, type TrustedProxies } from '@case-status/http-support';

/** The site's settings from the environment; documented in docs/web.md. */
export interface WebConfig {
  statusApiUrl: string;
  publicStatusApiUrl: string | undefined;
  port: number;
  host: string;
  /** Readiness and /metrics, for the operator only (OPS_PORT, default 9463, on OPS_HOST, default loopback). */
  ops: { port: number; host: string };
  timeZone: string;
  /** The proxies in front whose X-Forwarded-For is believed: how many, or their addresses/CIDRs; false for none. */
  trustProxy: TrustedProxies;
  /** Sent to the status API beside each visitor's address (its FORWARDING_KEY). */
  forwardingKey: string | undefined;
  assetsCacheDir: string | undefined;
  /** Sign-in through an OpenID provider (docs/identity.md), or none: all of IDENTITY_ISSUER_URL, IDENTITY_CLIENT_ID, IDENTITY_CLIENT_KEY and PUBLIC_BASE_URL, or none of them. */
  identity: WebIdentityConfig | undefined;
}

export interface WebIdentityConfig {
  issuer: string;
  clientId: string;
  /** The site's private key for `private_key_jwt` (a JWK with `kid`). */
  clientKey: JWK;
  /** The caseworker console: the status API's token asked for at sign-in (IDENTITY_API_RESOURCE and IDENTITY_API_SCOPE), or none. */
  apiResource: { resource: string; scope: string } | undefined;
  /** The site's private key for the person assertions the status API reads "My cases" with (a JWK with `kid`). */
  assertionKey: JWK;
  /** The site as browsers reach it; the callback is `<publicBaseUrl>/sign-in/callback`. */
  publicBaseUrl: string;
  /** Where sessions are kept. */
  databaseUrl: string;
  secureCookies: boolean;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

function privateJwk(text: string, name: string): JWK {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new Error(`${name} must be a private JWK in JSON (with "kid")`);
  }
  if (typeof jwk !== 'object' || jwk === null || !('kid' in jwk) || !('d' in jwk)) throw new Error(`${name} must be a private JWK in JSON (with "kid" and "d")`);
  return jwk as JWK;
}

const httpUrl = <F extends string | undefined>(fallback?: F) => url({ protocols: ['http', 'https'], example: 'http://127.0.0.1:3002', fallback });

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const settings = readConfig(
    {
      STATUS_API_URL: httpUrl('http://127.0.0.1:3002'),
      STATUS_API_PUBLIC_URL: httpUrl(),
      PORT: port(3003),
      HOST: text('127.0.0.1'),
      OPS_PORT: port(9463),
      OPS_HOST: text('127.0.0.1'),
      TIME_ZONE: parsed((timeZone = 'America/New_York') => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone });
        } catch {
          throw new Error(`TIME_ZONE is not a time zone: "${timeZone}" (for example America/New_York)`);
        }
        return timeZone;
      }),
      TRUST_PROXY: parsed(parseTrustProxy),
      FORWARDING_KEY: parsed(parseForwardingKey),
      WEB_ASSETS_DIR: text(),
      IDENTITY_ISSUER_URL: httpUrl(),
      IDENTITY_CLIENT_ID: text(),
      IDENTITY_CLIENT_KEY: secret({ minLength: 20, hint: 'the private JWK (JSON) the site signs its token requests with' }),
      PERSON_ASSERTION_KEY: secret({ minLength: 20, hint: 'the private JWK (JSON) the site signs its assertions to the status API with' }),
      PUBLIC_BASE_URL: httpUrl(),
      IDENTITY_API_RESOURCE: parsed((value) => {
        // A resource indicator is an absolute URI without a fragment (RFC 8707).
        if (value === undefined || value === '') return undefined;
        if (!URL.canParse(value) || value.includes('#')) throw new Error(`must be an absolute URI without a fragment, e.g. urn:case-status:caseworker-api; got "${value}"`);
        return value;
      }),
      IDENTITY_API_SCOPE: text(),
      DATABASE_URL: url({ protocols: ['postgres', 'postgresql'], example: 'postgres://postgres@127.0.0.1:5432/case_status', fallback: 'postgres://postgres@127.0.0.1:5432/case_status' }),
      SESSION_COOKIE_SECURE: onOff(true),
    },
    env,
  );
  const identityParts = [settings.IDENTITY_ISSUER_URL, settings.IDENTITY_CLIENT_ID, settings.IDENTITY_CLIENT_KEY, settings.PERSON_ASSERTION_KEY, settings.PUBLIC_BASE_URL];
  if (identityParts.some(Boolean) && !identityParts.every(Boolean)) {
    throw new Error('sign-in needs all of IDENTITY_ISSUER_URL, IDENTITY_CLIENT_ID, IDENTITY_CLIENT_KEY, PERSON_ASSERTION_KEY and PUBLIC_BASE_URL (or none of them, for a site without sign-in)');
  }
  if (Boolean(settings.IDENTITY_API_RESOURCE) !== Boolean(settings.IDENTITY_API_SCOPE)) {
    throw new Error('the caseworker console needs both IDENTITY_API_RESOURCE and IDENTITY_API_SCOPE (or neither, for a site without the console)');
  }
  if (settings.PUBLIC_BASE_URL && !settings.SESSION_COOKIE_SECURE && !LOOPBACK.includes(new URL(settings.PUBLIC_BASE_URL).hostname)) {
    throw new Error('SESSION_COOKIE_SECURE=off is only for plain-http development on the loopback address, not for PUBLIC_BASE_URL ' + new URL(settings.PUBLIC_BASE_URL).origin);
  }
  return {
    statusApiUrl: settings.STATUS_API_URL,
    publicStatusApiUrl: settings.STATUS_API_PUBLIC_URL,
    port: settings.PORT,
    host: settings.HOST,
    ops: { port: settings.OPS_PORT, host: settings.OPS_HOST },
    timeZone: settings.TIME_ZONE,
    trustProxy: settings.TRUST_PROXY,
    forwardingKey: settings.FORWARDING_KEY,
    assetsCacheDir: settings.WEB_ASSETS_DIR,
    identity:
      settings.IDENTITY_ISSUER_URL && settings.IDENTITY_CLIENT_ID && settings.IDENTITY_CLIENT_KEY && settings.PERSON_ASSERTION_KEY && settings.PUBLIC_BASE_URL
        ? {
            issuer: settings.IDENTITY_ISSUER_URL,
            clientId: settings.IDENTITY_CLIENT_ID,
            clientKey: privateJwk(settings.IDENTITY_CLIENT_KEY, 'IDENTITY_CLIENT_KEY'),
            assertionKey: privateJwk(settings.PERSON_ASSERTION_KEY, 'PERSON_ASSERTION_KEY'),
            apiResource: settings.IDENTITY_API_RESOURCE && settings.IDENTITY_API_SCOPE ? { resource: settings.IDENTITY_API_RESOURCE, scope: settings.IDENTITY_API_SCOPE } : undefined,
            publicBaseUrl: settings.PUBLIC_BASE_URL.replace(/\/$/, ''),
            databaseUrl: settings.DATABASE_URL,
            secureCookies: settings.SESSION_COOKIE_SECURE,
          }
        : undefined,
  };
}
