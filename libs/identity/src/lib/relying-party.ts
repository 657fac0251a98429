import { importJWK, type JWK } from 'jose';
import * as oidc from 'openid-client';
import { assuranceLevelOf, DEFAULT_ACR_LEVELS, DEFAULT_ACR_REQUESTS, type AssuranceLevel } from './assurance';
import { csrfTokenMatches } from './session-policy';

/** Who signed in, as the site keeps it in their session. */
export interface Account {
  /** The provider's stable id for the person (`sub`); with `issuer`, the person's key. */
  subject: string;
  issuer: string;
  email?: string;
  /** Whether the provider says it verified `email` (`email_verified`): only a verified address may stand for the person. */
  emailVerified?: boolean;
  name?: string;
  /** The assurance the provider vouched for, in its words (`acr`)... */
  acr?: string;
  /** ...and what those words stand for. */
  assuranceLevel: AssuranceLevel;
  /** Staff roles from the `roles` claim (e.g. `caseworker`); none for the public. */
  roles: string[];
  /** The agency staff work for, from the `agency` claim. */
  agency?: string;
}

/** An access token the provider issued for the status API, and when it stops being good (ISO 8601). */
export interface ApiToken {
  value: string;
  expiresAt: string;
}

/** What the site remembers between sending the person to the provider and their return. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The level asked for. */
  level: Exclude<AssuranceLevel, 0>;
  /** Where to go afterwards: a path of this site. */
  returnTo: string;
}

export type SignInErrorCode =
  /** The answer is not for the sign-in this browser started (forged, or from another tab or device). */
  | 'STATE_MISMATCH'
  /** The provider said no (the person cancelled, or it refused the request). */
  | 'PROVIDER_REFUSED'
  /** The code or the tokens were not good (used already, expired, signed wrongly). */
  | 'TOKEN_REJECTED'
  /** The provider could not be reached or answered nonsense. */
  | 'PROVIDER_UNAVAILABLE';

export class SignInError extends Error {
  constructor(
    readonly code: SignInErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SignInError';
  }
}

export interface RelyingPartyOptions {
  /** The provider's issuer URL; its `/.well-known/openid-configuration` is read on first use. */
  issuer: string;
  clientId: string;
  /** The site's private key (JWK with `kid`) for `private_key_jwt`; the provider holds its public half. */
  clientKey: JWK;
  /** Where the provider sends the person back (registered with it), e.g. https://status.example.gov/sign-in/callback. */
  redirectUri: string;
  /** Scopes beyond `openid`; default `email profile`. */
  scopes?: string[];
  /** `acr` values and the levels they stand for; default the IAL names and Login.gov's. */
  acrLevels?: Readonly<Record<string, number>>;
  /** What to ask for per level (`acr_values`). */
  acrRequests?: Readonly<Record<1 | 2, string>>;
  /**
   * Ask the provider, at sign-in, for an access token for this API too (RFC 8707 resource
   * indicator, and the scope it is granted under): the status API's caseworker queries, which
   * staff reach with their own token. The provider then answers the claims in the ID token,
   * since a token for another audience cannot read its userinfo endpoint.
   */
  apiResource?: { resource: string; scope: string };
  /** Plain http to the provider, allowed only for a provider on the loopback address (development and tests). */
  allowHttpLoopback?: boolean;
}

const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

/**
 * The site as an OpenID Connect client: authorization code flow with PKCE (S256), `state` and
 * `nonce`, authenticating to the token endpoint with a signed JWT (`private_key_jwt`), as
 * Login.gov requires. Built on openid-client, which checks the ID token (signature, issuer,
 * audience, expiry, nonce).
 */
export class RelyingParty {
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly options: RelyingPartyOptions) {
    const issuer = new URL(options.issuer);
    if (issuer.protocol !== 'https:' && !(options.allowHttpLoopback && issuer.protocol === 'http:' && isLoopback(issuer))) {
      throw new TypeError(`the identity provider must be reached over https, not ${issuer.origin}`);
    }
    if (typeof options.clientKey.kid !== 'string' || options.clientKey.d === undefined) {
      throw new TypeError('the client key must be a private JWK with a "kid"');
    }
  }

  get issuerOrigin(): string {
    return new URL(this.options.issuer).origin;
  }

  /** The provider's address for the person's browser, and what to remember until they come back. */
  async beginSignIn(request: { level: 1 | 2; returnTo: string }): Promise<{ url: string; pending: PendingSignIn }> {
    const config = await this.config();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier, level: request.level, returnTo: request.returnTo };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: ['openid', ...(this.options.scopes ?? ['email', 'profile']), ...(this.options.apiResource ? [this.options.apiResource.scope] : [])].join(' '),
      ...(this.options.apiResource && { resource: this.options.apiResource.resource }),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      acr_values: (this.options.acrRequests ?? DEFAULT_ACR_REQUESTS)[request.level],
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code the provider sent back (in `callbackUrl`) for the person's account. */
  async completeSignIn(callbackUrl: URL, pending: PendingSignIn): Promise<{ account: Account; idToken: string; apiToken?: ApiToken }> {
    // The state is checked here first, so a forged answer never reaches the provider.
    if (!csrfTokenMatches(pending.state, callbackUrl.searchParams.get('state'))) {
      throw new SignInError('STATE_MISMATCH', 'the answer does not belong to the sign-in this browser started');
    }
    const config = await this.config();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.AuthorizationResponseError) throw new SignInError('PROVIDER_REFUSED', `the provider refused: ${error.error}`, { cause: error });
      if (error instanceof oidc.ResponseBodyError) throw new SignInError('TOKEN_REJECTED', `the token endpoint refused: ${error.error}`, { cause: error });
      if (error instanceof oidc.ClientError && error.code !== 'OAUTH_TIMEOUT') throw new SignInError('TOKEN_REJECTED', error.message, { cause: error });
      throw new SignInError('PROVIDER_UNAVAILABLE', 'the provider could not be reached', { cause: error });
    }
    const claims = tokens.claims();
    if (!claims || tokens.id_token === undefined) throw new SignInError('TOKEN_REJECTED', 'the provider sent no ID token');
    const userInfo: Record<string, unknown> = this.options.apiResource
      ? {}
      : await oidc.fetchUserInfo(config, tokens.access_token, claims.sub).catch((error: unknown) => {
          throw new SignInError('PROVIDER_UNAVAILABLE', 'the provider did not say who signed in', { cause: error });
        });
    const all: Record<string, unknown> = { ...userInfo, ...claims };
    const acr = typeof claims.acr === 'string' ? claims.acr : undefined;
    const account: Account = {
      subject: claims.sub,
      issuer: claims.iss,
      email: typeof all.email === 'string' ? all.email : undefined,
      emailVerified: all.email_verified === true,
      name: typeof all.name === 'string' ? all.name : undefined,
      acr,
      assuranceLevel: assuranceLevelOf(acr, this.options.acrLevels ?? DEFAULT_ACR_LEVELS),
      roles: Array.isArray(all['roles']) ? all['roles'].filter((role): role is string => typeof role === 'string') : [],
      agency: typeof all['agency'] === 'string' ? all['agency'] : undefined,
    };
    const expiresIn = tokens.expiresIn();
    const apiToken = this.options.apiResource && expiresIn !== undefined ? { value: tokens.access_token, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString() } : undefined;
    return { account, idToken: tokens.id_token, ...(apiToken && { apiToken }) };
  }

  /** The provider's end-session address (RP-initiated logout), so signing out here ends the session there too. */
  async signOutUrl(idToken: string, postLogoutRedirectUri: string): Promise<string> {
    const config = await this.config();
    return oidc.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirectUri }).href;
  }

  /** Discovery, once; a failure is forgotten so the next sign-in tries again. */
  private config(): Promise<oidc.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined;
      throw error instanceof SignInError ? error : new SignInError('PROVIDER_UNAVAILABLE', 'the identity provider could not be reached', { cause: error });
    });
    return this.configuration;
  }

  private async discover(): Promise<oidc.Configuration> {
    const { clientKey } = this.options;
    const key = await importJWK(clientKey, clientKey.alg ?? 'ES256');
    if (!('type' in key)) throw new TypeError('the client key must be an asymmetric private key');
    const issuer = new URL(this.options.issuer);
    return oidc.discovery(
      issuer,
      this.options.clientId,
      { token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: clientKey.alg ?? 'ES256' },
      oidc.PrivateKeyJwt({ key, kid: clientKey.kid }),
      { execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [], timeout: 10 },
    );
  }
}
