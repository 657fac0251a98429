import { runService } from '@case-status/config';
import { consoleLogger } from '@case-status/logging';
import { describeKafkaConnection } from '@case-status/messaging';
import { startPlatform } from '@case-status/platform';
import { loadPlatformConfig } from './config';

runService('platform', async () => {
  const config = loadPlatformConfig();
  const log = consoleLogger('platform');
  if (!process.env['NOTIFICATIONS_ENCRYPTION_KEY']) {
    log.warn('NOTIFICATIONS_ENCRYPTION_KEY is not set: webhook secrets are sealed with the development key (refused with NODE_ENV=production)');
  }
  if (!config.feedbackSecret) log.warn('FEEDBACK_SECRET is not set: survey response ids and comment cursors use the public development secret (set one in production)');
  const started = Date.now();
  const platform = await startPlatform(config);
  const { intakeUrl, statusUrl, linksUrl, webUrl, opsUrl, identityIssuer } = platform;
  const database = config.databaseUrl ? 'PostgreSQL at DATABASE_URL' : `embedded PostgreSQL (data in ${config.dataDir})`;
  // For the person at the terminal who started it, not a log line: printed as it is, since log
  // lines have every e-mail address redacted and these are the local provider's seeded users.
  console.log(`[platform] ready in ${Date.now() - started} ms
  website:     ${webUrl ? `${webUrl}/en/ (en español: ${webUrl}/es/)` : "off (WEB=off)"}
  sign-in:     ${identityIssuer ? `${webUrl}/en/sign-in through the local identity provider at ${identityIssuer}
               test user: ana.applicant@example.org, password applicant-ana (the provider's login page lists the others)` : 'off (LOCAL_SIGN_IN=off, or not on the loopback address)'}
  console:     ${identityIssuer ? `${webUrl}/en/console (caseworkers: the backlog, case list and stale cases of their agency)
               caseworker test user: carl.caseworker@uscis.example.gov, password caseworker-carl (USCIS; VBA: vera.caseworker@vba.example.gov, caseworker-vera)` : 'off (needs sign-in)'}
  intake API:  ${intakeUrl}/v1/cases/{receiptNumber}/events (OpenAPI: ${intakeUrl}/openapi.json, ${intakeUrl}/docs)
  status API:  ${statusUrl}/graphql (GraphiQL: ${process.env['NODE_ENV'] === 'production' ? 'off in production' : `${statusUrl}/graphiql`}; subscriptions: ${statusUrl.replace('http', 'ws')}/graphql)
  email links: ${linksUrl}/notifications/{confirm,unsubscribe}
  operations:  ${opsUrl}/health/ready, ${opsUrl}/metrics (OPS_PORT; for the operator only)
  database:    ${database}; events in ${platform.eventStore === 'eventstoredb' ? 'EventStoreDB at EVENTSTORE_URL' : 'the same database'}
  fan-out:     ${platform.fanOut === 'kafka' ? `Kafka at ${config.kafka ? describeKafkaConnection(config.kafka) : ''}` : 'in process (set KAFKA_BROKERS to use Kafka)'}
  email:       ${platform.outboxDir ? `written to ${platform.outboxDir} (set SMTP_URL to send)` : 'sent through SMTP_URL'}
  Ctrl-C stops.`);
  // A projection or the relay failing ends the process (exit 1), after stopping the rest.
  return platform;
});
