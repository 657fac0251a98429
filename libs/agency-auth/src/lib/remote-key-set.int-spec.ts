import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { AgencyTokenVerifier, TokenRejected } from './agency-token-verifier';

const ISSUER = 'https://login.vba.example';

/** A key server on a loopback socket (allowed outside production), answering as each test sets. */
describe('agency keys fetched from a key URL', () => {
  let server: Server;
  let base: string;
  let answer: (path: string, respond: (status: number, body?: unknown, headers?: Record<string, string>) => void) => void;
  let token: string;
  let jwks: unknown;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'remote-1', alg: 'ES256' }] };
    token = await new SignJWT({ agency: 'VBA' })
      .setProtectedHeader({ alg: 'ES256', kid: 'remote-1' })
      .setSubject('system')
      .setIssuer(ISSUER)
      .setAudience('aud')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    server = createServer((req, res) =>
      answer(req.url ?? '', (status, body, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const verifierFor = (path: string) => new AgencyTokenVerifier({ VBA: { issuers: [ISSUER], jwksUri: `${base}${path}` } }, 'aud', { production: false });

  it('verifies a token against the keys served at the URL', async () => {
    answer = (_path, respond) => respond(200, jwks);
    await expect(verifierFor('/jwks.json').verify(`Bearer ${token}`)).resolves.toMatchObject({ subject: 'system' });
  });

  it('does not follow a redirect, so the key URL cannot be bounced to another server', async () => {
    const fetched: string[] = [];
    answer = (path, respond) => {
      fetched.push(path);
      if (path === '/moved') respond(302, undefined, { location: `${base}/elsewhere` });
      else respond(200, jwks);
    };
    const error = await verifierFor('/moved').verify(`Bearer ${token}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRejected);
    expect((error as TokenRejected).reason).toMatch(/could not be verified/);
    expect(fetched).toEqual(['/moved']);
  });

  it('gives up on a key server that does not answer, with a reason saying so', async () => {
    answer = () => undefined; // never responds; the verifier's fetch timeout (3 s) ends the wait
    const error = await verifierFor('/silent').verify(`Bearer ${token}`).catch((e: unknown) => e);
    expect((error as TokenRejected).reason).toMatch(/did not answer in time/);
  }, 15_000);

  it('refuses the token, saying the key server could not be reached, when nothing listens at the key URL (not a 500)', async () => {
    // Nothing listens on port 1.
    const unreachable = new AgencyTokenVerifier({ VBA: { issuers: [ISSUER], jwksUri: 'http://127.0.0.1:1/jwks.json' } }, 'aud', { production: false });
    const error = await unreachable.verify(`Bearer ${token}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRejected);
    expect((error as TokenRejected).reason).toMatch(/could not be reached/);
  });
});
