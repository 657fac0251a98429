import 'reflect-metadata';
import { runService } from '@case-status/config';
import { startIntakeApi } from '@case-status/intake';
import { Metrics } from '@case-status/http-support';
import { consoleLogger, nestLogger } from '@case-status/logging';
import { loadConfig } from './config';

runService('intake-api', async () => {
  const config = loadConfig();
  const log = consoleLogger('intake-api');
  const intake = await startIntakeApi({
    events: { settings: config.eventStore, database: config.databaseUrl },
    refusalRetention: config.refusalRetention,
    agencyKeys: config.agencyKeys,
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy,
    port: config.port,
    host: config.host,
    ops: config.ops,
    metrics: new Metrics(),
    logger: nestLogger(log),
    log,
  });
  const { url } = intake;
  const counts = config.rateLimit.redisUrl ? 'shared through Redis' : 'in memory (set REDIS_URL to share them between instances)';
  log.log(`listening on ${url} (events: POST ${url}/v1/cases/{receiptNumber}/events; OpenAPI: ${url}/openapi.json, ${url}/docs; liveness: ${url}/health/live; readiness and metrics: ${intake.opsUrl}/health/ready, ${intake.opsUrl}/metrics); rate limit counts ${counts}`);
  return intake;
});
