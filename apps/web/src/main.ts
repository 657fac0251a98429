import { feedbackSurveyHref, startWebServer } from '@case-status/web';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.forwardingKey) {
    console.warn('[web] FORWARDING_KEY is not set: the status API counts this whole site as one client, unless it trusts it by address (TRUST_PROXY)');
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
  });
  console.log(`[web] ready in ${Date.now() - started} ms: ${server.url}/en/ (status API: ${config.statusApiUrl})`);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
