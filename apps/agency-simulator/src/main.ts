import { parseArgs } from 'node:util';
import { BACKLOG_TRENDS, type BacklogTrend } from '@case-status/agency-simulator';
import { AgencyTokens, SIMULATED_ISSUER, live, loadPrivateJwks, seed, type PostResult } from './intake-client';

const USAGE = `Usage: agency-simulator <seed|live> [options]
  --intake-url URL        intake API (env INTAKE_URL, default http://127.0.0.1:3001)
  --keys PATH             private JWKs: a directory of <AGENCY>.private.jwk.json or one JSON file
                          (env AGENCY_PRIVATE_KEYS, default .data/dev-keys)
  --issuer ISS            the tokens' "iss", {agency} standing for the agency code
                          (env AGENCY_ISSUER, default ${SIMULATED_ISSUER})
  --agencies A,B          default USCIS,VBA
  --cases-per-day N       per agency, default 20
  --days N                seed: history length in days before now, default 180
  --trend T               growing | steady | shrinking, default steady
  --speed-up N            live: simulated days per real day, default 1440 (a day a minute)
  --seed S                default "demo"`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) fail(`--${name} must be a positive number, not "${value}".`);
  return number;
}

function report(result: PostResult): void {
  for (const refusal of result.refusals.slice(0, 20)) {
    process.stderr.write(`refused ${refusal.type} ${refusal.receiptNumber} (${refusal.eventId}): ${refusal.status} ${refusal.code} ${refusal.detail}\n`);
  }
  if (result.refusals.length > 20) process.stderr.write(`... and ${result.refusals.length - 20} more refusals\n`);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      'intake-url': { type: 'string' },
      keys: { type: 'string' },
      issuer: { type: 'string' },
      agencies: { type: 'string', default: 'USCIS,VBA' },
      'cases-per-day': { type: 'string', default: '20' },
      days: { type: 'string', default: '180' },
      trend: { type: 'string', default: 'steady' },
      'speed-up': { type: 'string', default: '1440' },
      seed: { type: 'string', default: 'demo' },
    },
  });
  const mode = positionals[0];
  if (mode !== 'seed' && mode !== 'live') fail(`Say "seed" or "live", not ${mode === undefined ? 'nothing' : `"${mode}"`}.`);
  if (!BACKLOG_TRENDS.includes(values.trend as BacklogTrend)) fail(`--trend must be one of ${BACKLOG_TRENDS.join(', ')}, not "${values.trend}".`);
  const intakeUrl = values['intake-url'] ?? process.env['INTAKE_URL'] ?? 'http://127.0.0.1:3001';
  const tokens = new AgencyTokens(loadPrivateJwks(values.keys ?? process.env['AGENCY_PRIVATE_KEYS'] ?? '.data/dev-keys'), {
    issuer: values.issuer ?? process.env['AGENCY_ISSUER'] ?? SIMULATED_ISSUER,
  });
  const simulation = {
    seed: values.seed,
    agencies: values.agencies.split(',').map((code) => code.trim()),
    casesPerDay: positive('cases-per-day', values['cases-per-day']),
    backlogTrend: values.trend as BacklogTrend,
  };

  if (mode === 'seed') {
    const days = positive('days', values.days);
    const result = await seed({
      intakeUrl,
      tokens,
      now: Date.now,
      simulation: { ...simulation, start: new Date(Date.now() - days * 86_400_000).toISOString() },
      onProgress: (p) => process.stdout.write(`\rseeding: ${p.posted}/${p.total} events, ${p.refused} refused`),
    });
    process.stdout.write(`\nseeded ${result.recorded} of ${result.events} events in ${result.seconds.toFixed(1)} s (${Math.round(result.events / result.seconds)} events/s)\n`);
    // One line a starter script can read: the example cases to look up.
    process.stdout.write(`example cases: ${JSON.stringify(result.examples)}\n`);
    report(result);
    process.exitCode = result.refusals.length > 0 ? 1 : 0;
    return;
  }

  const handle = live({
    intakeUrl,
    tokens,
    now: Date.now,
    simulation: { ...simulation, speedUp: positive('speed-up', values['speed-up']) },
    onPosted: (result) => {
      process.stdout.write(`live: posted ${result.posted} events, ${result.refusals.length} refused\n`);
      report(result);
    },
    onError: (error) => process.stderr.write(`live: ${error.message}\n`),
  });
  const stop = () => void handle.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
