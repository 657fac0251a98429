import { readFileSync } from 'node:fs';
import type { AgencyKeys } from '@case-status/intake';
import { startPlatform } from '@case-status/platform';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} is not a port number: "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  const keysFile = process.env['INTAKE_AGENCY_KEYS_FILE'];
  if (!keysFile) throw new Error('INTAKE_AGENCY_KEYS_FILE is not set: point it at a JSON file of agency public keys (see README)');
  const dataDir = process.env['EMBEDDED_DATA_DIR'] ?? '.data/embedded';
  const started = Date.now();
  const platform = await startPlatform({
    dataDir,
    intakePort: port('INTAKE_PORT', 3001),
    statusPort: port('STATUS_PORT', 3002),
    agencyKeys: JSON.parse(readFileSync(keysFile, 'utf8')) as AgencyKeys,
    host: process.env['HOST'] ?? '127.0.0.1',
    onProjectorError: (error) => {
      console.error(`[platform] the projector failed, stopping: ${error.stack ?? error.message}`);
      void platform.stop().finally(() => process.exit(1));
    },
  });
  const { intakeUrl, statusUrl } = platform;
  console.log(`[platform] ready in ${Date.now() - started} ms (data in ${dataDir})
  intake API:  ${intakeUrl}/v1/cases/{receiptNumber}/events (OpenAPI: ${intakeUrl}/openapi.json, ${intakeUrl}/docs)
  status API:  ${statusUrl}/graphql (GraphiQL: ${statusUrl}/graphiql; subscriptions: ${statusUrl.replace('http', 'ws')}/graphql)
  Ctrl-C stops.`);

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log('[platform] stopping');
      platform.stop().then(
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
