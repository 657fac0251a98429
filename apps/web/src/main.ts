import { Pool } from 'pg';
import { runService } from '@case-status/config';
import { Metrics } from '@case-status/http-support';
import { migrateSessions, PersonAssertionSigner, PostgresSessionStore, RelyingParty } from '@case-status/identity';
import { consoleLogger } from '@case-status/logging';
import { feedbackSurveyHref, startWebServer, type WebIdentityOptions } from '@case-status/web';
import { loadConfig } from './config';

runService('web', async () => {
  const config = loadConfig();
  const log = consoleLogger('web');
  if (!config.forwardingKey) {
    log.warn('FORWARDING_KEY is not set: the status API counts this whole site as one client, unless it trusts it by address (TRUST_PROXY)');
  }
  const started = Date.now();
  // Sign-in (docs/identity.md): sessions in PostgreSQL, the provider from configuration.
  let identity: WebIdentityOptions | undefined;
  let sessionPool: Pool | undefined;
  if (config.identity) {
    const { issuer, clientId, clientKey, apiResource, assertionKey, publicBaseUrl, databaseUrl, secureCookies } = config.identity;
    sessionPool = new Pool({ connectionString: databaseUrl, max: 4 });
    await migrateSessions(sessionPool, 'identity');
    const relyingParty = new RelyingParty({ issuer, clientId, clientKey, apiResource, redirectUri: `${publicBaseUrl}/sign-in/callback`, allowHttpLoopback: !secureCookies });
    identity = { relyingParty, sessions: new PostgresSessionStore({ pool: sessionPool, schema: 'identity' }), publicBaseUrl, secureCookies, assertions: new PersonAssertionSigner(assertionKey) };
  }
  const server = await startWebServer({
    identity,
    statusApiUrl: config.statusApiUrl,
    publicStatusApiUrl: config.publicStatusApiUrl,
    port: config.port,
    host: config.host,
    ops: config.ops,
    timeZone: config.timeZone,
    trustProxy: config.trustProxy,
    ...(config.forwardingKey && { statusApiForwardingKey: config.forwardingKey }),
    assetsCacheDir: config.assetsCacheDir,
    feedbackSurvey: feedbackSurveyHref,
    metrics: new Metrics(),
  });
  log.log(`ready in ${Date.now() - started} ms: ${server.url}/en/ (status API: ${config.statusApiUrl}; readiness and metrics: ${server.opsUrl}/health/ready, ${server.opsUrl}/metrics)`);
  return {
    stop: async () => {
      await server.close();
      await sessionPool?.end();
    },
  };
});
