import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { IAL1, IAL2 } from './assurance';
import { LOCAL_USERS, type LocalUser } from './local-users';
import { randomToken } from './session-policy';

/**
 * The resource indicator (RFC 8707) a client names to get an access token for the status
 * API's caseworker queries, and the audience that token carries (the status API's
 * `CASEWORKER_AUDIENCE`). The token is a JWT signed with the provider's key and carries the
 * person's `roles` and `agency`, so the status API checks it against the provider's key set
 * (its `/jwks`) as it checks any agency's staff token.
 */
export const STAFF_API_RESOURCE = 'urn:case-status:caseworker-api';
const STAFF_API_AUDIENCE = 'case-status-caseworker';
/** The scope of the API token, asked beside `openid email profile` when the client names the resource. */
export const STAFF_API_SCOPE = 'case-status-api';
/** Matches the website's 15-minute idle timeout: an idle console signs in again anyway. */
const STAFF_API_TOKEN_TTL_SECONDS = 900;

/** A relying party the local provider knows, e.g. the website. */
export interface LocalClient {
  clientId: string;
  /** The public half of the key the client signs its token requests with (`private_key_jwt`). */
  publicKey: JWK;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface LocalIdentityProviderOptions {
  clients: LocalClient[];
  /** 0 picks a free port (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Keeps the provider's signing key here between starts (created if missing); without it a new key each start. */
  signingKeyFile?: string;
  users?: readonly LocalUser[];
}

export interface LocalIdentityProvider {
  /** The issuer URL, e.g. http://127.0.0.1:40123. */
  issuer: string;
  users: readonly LocalUser[];
  close(): Promise<void>;
}

/**
 * An OpenID provider for development and tests: panva's oidc-provider (a certified
 * implementation of the specification) with the platform's seeded people, its own login and
 * consent pages, PKCE required, clients authenticating with `private_key_jwt`, and
 * RP-initiated logout. Sessions and grants live in memory: a restart signs everyone out.
 * It is not for production, where the site points at a real provider (Login.gov, the
 * agency's Keycloak) by configuration.
 */
export async function startLocalIdentityProvider(options: LocalIdentityProviderOptions): Promise<LocalIdentityProvider> {
  const users = options.users ?? LOCAL_USERS;
  const host = options.host ?? '127.0.0.1';
  // The issuer names the port, so the server listens before the provider exists.
  const routing: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => (routing.handle ? routing.handle(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const provider = new Provider(issuer, configuration(options.clients, users, await signingKey(options.signingKeyFile)));
  const oidcCallback = provider.callback();
  routing.handle = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(provider, users, req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : 'unexpected failure';
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page('Sign-in problem', `<p>${escapeHtml(message)}</p><p>Go back to the website and start again.</p>`));
      });
      return;
    }
    oidcCallback(req, res);
  };

  return {
    issuer,
    users,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function configuration(clients: LocalClient[], users: readonly LocalUser[], key: JWK): Configuration {
  return {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [client.publicKey] },
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
    })),
    jwks: { keys: [key] },
    cookies: { keys: [randomToken()] },
    pkce: { required: () => true },
    acrValues: [IAL1, IAL2],
    scopes: ['openid', 'email', 'profile'],
    // Staff roles and agency travel with `profile`, as a Keycloak client scope would map them.
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'roles', 'agency'] },
    // A client that asks for an API token (below) cannot read the userinfo endpoint with it, so
    // the ID token carries the claims of the scopes granted, as Keycloak's mappers put them there.
    conformIdTokenClaims: false,
    // The status API's staff token: roles and agency beside the standard claims.
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const user = users.find((candidate) => candidate.subject === token.accountId);
      return user?.agency ? { roles: user.roles ?? [], agency: user.agency } : undefined;
    },
    async findAccount(_ctx, subject) {
      const user = users.find((candidate) => candidate.subject === subject);
      if (!user) return undefined;
      return {
        accountId: user.subject,
        claims: async () => ({ sub: user.subject, email: user.email, email_verified: true, name: user.name, ...(user.roles && { roles: user.roles }), ...(user.agency && { agency: user.agency }) }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        // A token request without `resource` gets the one asked for at authorization.
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resourceIndicator) => {
          if (resourceIndicator !== STAFF_API_RESOURCE) throw new errors.InvalidTarget(`this provider issues tokens for ${STAFF_API_RESOURCE} only`);
          return { scope: STAFF_API_SCOPE, audience: STAFF_API_AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: STAFF_API_TOKEN_TTL_SECONDS, jwt: { sign: { alg: 'RS256' } } };
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: KoaContextWithOIDC, form: string) => {
          ctx.type = 'html';
          ctx.body = page(
            'Sign out of the local identity provider',
            `${form}<p>You are signing out of the case status website. Sign out of the local identity provider too?</p>
             <button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Yes, sign me out</button>
             <button type="submit" form="op.logoutForm">No, stay signed in here</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
          ctx.type = 'html';
          ctx.body = page('Signed out', '<p>You are signed out of the local identity provider.</p>');
        },
      },
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in problem', `<p>${escapeHtml(String(out['error_description'] ?? out['error']))}</p>`);
    },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 12 * 3600, Grant: 12 * 3600 },
  };
}

async function signingKey(file: string | undefined): Promise<JWK> {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: `local-${randomToken().slice(0, 8)}`, alg: 'RS256', use: 'sig' };
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
}

/** The provider's own pages: who are you (login), may the site know this (consent). */
async function interaction(provider: Provider, users: readonly LocalUser[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  const [, , uid, action] = (req.url ?? '').split('?')[0].split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('This sign-in page belongs to another sign-in.');
  const client = String(details.params['client_id'] ?? 'the website');

  if (req.method === 'GET' && action === undefined) {
    if (details.prompt.name === 'login') return send(res, 200, loginPage(uid, client, users));
    return send(res, 200, consentPage(uid, client, details.prompt.details));
  }
  if (req.method !== 'POST') return send(res, 405, page('Not allowed', '<p>Use the form.</p>'));
  const form = new URLSearchParams(await readBody(req));

  if (action === 'login') {
    const user = users.find((candidate) => candidate.email === form.get('email')?.trim().toLowerCase());
    if (!user || user.password !== form.get('password')) return send(res, 401, loginPage(uid, client, users, 'That email and password do not match a test user.'));
    await provider.interactionFinished(req, res, { login: { accountId: user.subject, acr: user.acr, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === 'confirm') {
    const { prompt, params, session, grantId } = details;
    const accountId = session?.accountId;
    if (!accountId) throw new Error('Sign in first.');
    const grant = grantId ? await provider.Grant.find(grantId) : new provider.Grant({ accountId, clientId: String(params['client_id']) });
    if (!grant) throw new Error('This consent has expired.');
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    return;
  }
  if (action === 'abort') {
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person cancelled the sign-in.' }, { mergeWithLastSubmission: false });
    return;
  }
  send(res, 404, page('Not found', '<p>There is no such page.</p>'));
}

function loginPage(uid: string, client: string, users: readonly LocalUser[], error?: string): string {
  const rows = users.map((user) => `<tr><td>${escapeHtml(user.email)}</td><td>${escapeHtml(user.password)}</td><td>${escapeHtml(user.role)}</td></tr>`).join('');
  return page(
    'Sign in to the local identity provider',
    `<p>${escapeHtml(client)} asks who you are.</p>
     ${error ? `<p role="alert" class="error">${escapeHtml(error)}</p>` : ''}
     <form method="post" action="/interaction/${uid}/login">
       <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
       <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
       <button type="submit">Sign in</button>
     </form>
     <form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>
     <h2>Test users (development only)</h2>
     <table><thead><tr><th>Email</th><th>Password</th><th>Who</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

function consentPage(uid: string, client: string, details: unknown): string {
  const missing = details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  const asked = [...(missing.missingOIDCScope ?? []), ...(missing.missingOIDCClaims ?? [])].map((item) => `<li>${escapeHtml(item)}</li>`).join('');
  return page(
    'Share your details?',
    `<p>${escapeHtml(client)} asks to know:</p><ul>${asked}</ul>
     <form method="post" action="/interaction/${uid}/confirm"><button type="submit" autofocus>Allow</button></form>
     <form method="post" action="/interaction/${uid}/abort"><button type="submit">Do not allow</button></form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}label,input,button{display:block;margin:.5rem 0}input{padding:.4rem;width:100%}.error{color:#b50909}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}</style>
</head><body><p><strong>Local identity provider</strong> (development and tests only)</p><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY' }).end(html);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) req.destroy(new Error('The form is too large.'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
