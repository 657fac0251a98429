import { runService } from '@case-status/config';
import { Metrics } from '@case-status/http-support';
import { consoleLogger } from '@case-status/logging';
import { feedbackSurveyHref, startWebServer } from '@case-status/web';
import { loadConfig } from './config';

runService('web', async () => {
  const config = loadConfig();
  const log = consoleLogger('web');
  if (!config.forwardingKey) {
    log.warn('FORWARDING_KEY is not set: the status API counts this whole site as one client, unless it trusts it by address (TRUST_PROXY)');
  }
  const started = Date.now();
  const server = await startWebServer({
    statusApiUrl: config.statusApiUrl,
    publicStatusApiUrl: config.publicStatusApiUrl,
    port: config.port,
    host: config.host,
    timeZone: config.timeZone,
    trustProxy: config.trustProxy,
    ...(config.forwardingKey && { statusApiForwardingKey: config.forwardingKey }),
    assetsCacheDir: config.assetsCacheDir,
    feedbackSurvey: feedbackSurveyHref,
    metrics: new Metrics(),
  });
  log.log(`ready in ${Date.now() - started} ms: ${server.url}/en/ (status API: ${config.statusApiUrl})`);
  return { stop: () => server.close() };
});
