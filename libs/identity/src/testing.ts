import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** A key pair for a client of the local provider: the private JWK the site holds, the public one the provider registers. */
export async function clientKeyPair(kid = 'website-test'): Promise<{ privateKey: JWK; publicKey: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' }, publicKey: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/**
 * A browser without a screen for HTTP-level tests: it keeps cookies per host (honouring
 * Max-Age=0 deletions, ignoring paths and Secure, which the tests check by header) and lets
 * the test follow each redirect itself.
 */
export class CookieAgent {
  private readonly jars = new Map<string, Map<string, string>>();

  async request(url: string, init: { method?: 'GET' | 'POST'; form?: Record<string, string>; cookie?: string | null } = {}): Promise<Response> {
    const target = new URL(url);
    const headers: Record<string, string> = {};
    const cookie = init.cookie === undefined ? this.cookieHeader(target.host) : init.cookie;
    if (cookie) headers['cookie'] = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(target, { method: init.method ?? (init.form ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.remember(target.host, response.headers.getSetCookie());
    return response;
  }

  /** The Cookie header this agent sends to `host`. */
  cookieHeader(host: string): string {
    return [...(this.jars.get(host) ?? new Map<string, string>())].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(host: string, setCookies: string[]): void {
    const jar = this.jars.get(host) ?? new Map<string, string>();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const removed = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute)) || attributes.some((attribute) => /^\s*expires=thu, 01 jan 1970/i.test(attribute));
      if (removed) jar.delete(name);
      else jar.set(name, pair.slice(at + 1).trim());
    }
    this.jars.set(host, jar);
  }
}

/** The action and hidden fields of the first form on a page whose action matches. */
export function formOn(html: string, action: RegExp): { action: string; fields: Record<string, string> } {
  for (const match of html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const target = match[1].replace(/&amp;/g, '&');
    if (!action.test(target)) continue;
    const fields: Record<string, string> = {};
    for (const input of match[2].matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
      if (name) fields[name] = value.replace(/&amp;/g, '&');
    }
    return { action: target, fields };
  }
  throw new Error(`no form with an action like ${action} on the page:\n${html.slice(0, 2000)}`);
}

/**
 * Goes through the local provider's pages as a person would: from the authorization URL,
 * signs in as `user` (if asked) and allows sharing (if asked), following redirects until one
 * leaves the provider. Returns that URL (the site's callback, with the code).
 */
export async function throughLocalProvider(agent: CookieAgent, authorizationUrl: string, user: { email: string; password: string }): Promise<string> {
  let url = authorizationUrl;
  const provider = new URL(authorizationUrl).origin;
  let response = await agent.request(url);
  for (let step = 0; step < 12; step++) {
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url).href;
      if (new URL(url).origin !== provider) return url;
      response = await agent.request(url);
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status} at ${url}: ${html.replace(/[\s\S]*<main>/, "").slice(0, 500)}`);
    if (html.includes('/login"')) {
      const form = formOn(html, /\/login$/);
      response = await agent.request(new URL(form.action, url).href, { form: { email: user.email, password: user.password } });
    } else if (html.includes('/confirm"')) {
      response = await agent.request(new URL(formOn(html, /\/confirm$/).action, url).href, { form: {} });
    } else {
      throw new Error(`unexpected page at ${url}: ${html.replace(/[\s\S]*<main>/, "").slice(0, 500)}`);
    }
  }
  throw new Error('the provider kept redirecting');
}
