import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, importJWK, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { simulate, type SimulatedEvent, type SimulationConfig } from '@case-status/agency-simulator';
import { hashAccessCode, newAccessCode } from '@case-status/intake-contract';

const MAX_BATCH = 500;
const AUDIENCE = 'case-status-intake';

/**
 * The issuer (`iss`) the simulated agencies sign as, `{agency}` standing for the agency code;
 * the intake's key configuration lists it for each agency (`npm start` writes it so).
 */
export const SIMULATED_ISSUER = 'urn:case-status:simulated-agency:{agency}';

/** An agency's private signing key (ES256 JWK with `kid`), per agency code. */
export type AgencyPrivateJwks = Readonly<Record<string, JWK>>;

/**
 * Reads private JWKs: a directory of `<AGENCY>.private.jwk.json` files (what `npm start`
 * writes to `.data/dev-keys`) or one JSON file `{ "<AGENCY>": { ...jwk } }`.
 */
export function loadPrivateJwks(path: string): AgencyPrivateJwks {
  if (!existsSync(path)) throw new Error(`Agency keys: ${path} does not exist.`);
  const parse = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`Agency keys: ${file} is not JSON (${(error as Error).message}).`);
    }
  };
  if (statSync(path).isDirectory()) {
    const suffix = '.private.jwk.json';
    const files = readdirSync(path).filter((name) => name.endsWith(suffix));
    if (files.length === 0) throw new Error(`Agency keys: ${path} has no <AGENCY>${suffix} files.`);
    return Object.fromEntries(files.map((name) => [name.slice(0, -suffix.length), parse(join(path, name)) as JWK]));
  }
  const keys = parse(path);
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) throw new Error(`Agency keys: ${path} must hold an object of private JWKs per agency code.`);
  return keys as AgencyPrivateJwks;
}

/** Mints short-lived intake tokens, one key per agency, reusing a token until near expiry. */
export class AgencyTokens {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();
  private readonly keys = new Map<string, Promise<{ key: CryptoKey | Uint8Array; kid: string | undefined }>>();

  constructor(
    private readonly jwks: AgencyPrivateJwks,
    private readonly options: { subject?: string; issuer?: string; now?: () => number } = {},
  ) {}

  async token(agency: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(agency);
    if (cached && cached.expiresAt - now > 60_000) return cached.token;
    const { key, kid } = await this.key(agency);
    const expiresAt = now + 10 * 60_000;
    const token = await new SignJWT({ agency, scope: 'intake:write' })
      .setProtectedHeader({ alg: 'ES256', ...(kid ? { kid } : {}) })
      .setSubject(this.options.subject ?? 'agency-simulator')
      .setIssuer((this.options.issuer ?? SIMULATED_ISSUER).replaceAll('{agency}', agency))
      .setAudience(AUDIENCE)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(expiresAt / 1000))
      .sign(key);
    this.cache.set(agency, { token, expiresAt });
    return token;
  }

  private key(agency: string) {
    let loading = this.keys.get(agency);
    if (!loading) {
      const jwk = Object.hasOwn(this.jwks, agency) ? this.jwks[agency] : undefined;
      if (!jwk) throw new Error(`No private key for agency ${agency} (keys for: ${Object.keys(this.jwks).join(', ') || 'none'}).`);
      if (!jwk.d) throw new Error(`The key for agency ${agency} is a public key; signing needs the private JWK (with "d").`);
      loading = importJWK(jwk, 'ES256').then((key) => ({ key, kid: jwk.kid }));
      this.keys.set(agency, loading);
    }
    return loading;
  }
}

export interface Refusal {
  eventId: string;
  receiptNumber: string;
  type: string;
  status: number;
  code: string;
  detail: string;
}

export interface PostResult {
  posted: number;
  recorded: number;
  refusals: Refusal[];
  batches: number;
}

export interface Progress {
  posted: number;
  total: number;
  recorded: number;
  refused: number;
}

export interface PostOptions {
  intakeUrl: string;
  tokens: AgencyTokens;
  batchSize?: number;
  onProgress?: (progress: Progress) => void;
  fetch?: typeof fetch;
  /** How waiting for a rate limit to pass is done; tests pass their own. */
  sleep?: (ms: number) => Promise<void>;
}

/** A 429 says how long to wait; longer than this and something else is wrong. */
const LONGEST_RETRY_AFTER_SECONDS = 120;

interface BatchAnswer {
  results: { index: number; status: number; problem?: { code?: string; detail?: string } }[];
}

/**
 * Posts events in the order given, in batches of one agency (its token signs the batch).
 * Agencies go side by side: a case belongs to one agency, so each case's order is kept.
 * Refused items are reported, not thrown; a batch the intake does not answer with 200 is
 * thrown, since nothing in it is known to be recorded. A batch over the agency's rate limit
 * (429) is sent again after the Retry-After the intake asks for.
 */
export async function postEvents(events: readonly SimulatedEvent[], options: PostOptions): Promise<PostResult> {
  const batchSize = options.batchSize ?? MAX_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH}, not ${batchSize}.`);
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const url = new URL('/v1/events/batch', options.intakeUrl).toString();
  const byAgency = new Map<string, SimulatedEvent[]>();
  for (const event of events) byAgency.set(event.agency, [...(byAgency.get(event.agency) ?? []), event]);
  const result: PostResult = { posted: 0, recorded: 0, refusals: [], batches: 0 };

  await Promise.all(
    [...byAgency].map(async ([agency, own]) => {
      for (let offset = 0; offset < own.length; offset += batchSize) {
        const batch = own.slice(offset, offset + batchSize);
        // The intake's batch items carry no agency: the token says who sends them.
        const body = JSON.stringify({ events: batch.map((event) => ({ receiptNumber: event.receiptNumber, eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, data: event.data })) });
        let response: Response;
        let text: string;
        for (;;) {
          response = await doFetch(url, { method: 'POST', headers: { authorization: `Bearer ${await options.tokens.token(agency)}`, 'content-type': 'application/json' }, body });
          text = await response.text();
          const retryAfter = Number(response.headers.get('retry-after'));
          if (response.status !== 429 || !(retryAfter > 0 && retryAfter <= LONGEST_RETRY_AFTER_SECONDS)) break;
          await sleep(retryAfter * 1000);
        }
        if (response.status !== 200) throw new Error(`The intake answered ${response.status} to a batch of ${batch.length} ${agency} events: ${text.slice(0, 500)}`);
        const answer = JSON.parse(text) as BatchAnswer;
        for (const item of answer.results) {
          const event = batch[item.index];
          if (item.status === 201) result.recorded++;
          else result.refusals.push({ eventId: event.eventId, receiptNumber: event.receiptNumber, type: event.type, status: item.status, code: item.problem?.code ?? 'UNKNOWN', detail: item.problem?.detail ?? '' });
        }
        result.posted += batch.length;
        result.batches++;
        options.onProgress?.({ posted: result.posted, total: events.length, recorded: result.recorded, refused: result.refusals.length });
      }
    }),
  );
  return result;
}

export type SeedOptions = PostOptions & { simulation: Omit<SimulationConfig, 'end' | 'speedUp'>; now: () => number };

/** A history from `simulation.start` to now, posted as fast as the intake takes it. */
export async function seed(options: SeedOptions): Promise<PostResult & { events: number; seconds: number; examples: ExampleCase[] }> {
  const events = simulate({ ...options.simulation, end: new Date(options.now()).toISOString() });
  const started = performance.now();
  const result = await postEvents(events, options);
  const seconds = (performance.now() - started) / 1000;
  return { ...result, events: events.length, seconds, examples: await withAccessCodes(exampleCases(events), options) };
}

/**
 * Mails each example case a new online access code, as an agency does for a case already on
 * file (AccessCodeIssued), so someone trying the platform can link it on "My cases". Only the
 * examples: hashing a code is deliberately slow, and nobody could type the others'.
 */
async function withAccessCodes(examples: ExampleCase[], options: SeedOptions): Promise<ExampleCase[]> {
  const doFetch = options.fetch ?? fetch;
  return Promise.all(
    examples.map(async (example) => {
      const accessCode = newAccessCode();
      const body = JSON.stringify({ eventId: randomUUID(), type: 'AccessCodeIssued', occurredAt: new Date(options.now()).toISOString(), data: { accessCodeHash: await hashAccessCode(accessCode) } });
      const url = new URL(`/v1/cases/${encodeURIComponent(example.receiptNumber)}/events`, options.intakeUrl);
      const response = await doFetch(url, { method: 'POST', headers: { authorization: `Bearer ${await options.tokens.token(example.agency)}`, 'content-type': 'application/json' }, body });
      return response.status === 201 ? { ...example, accessCode } : example;
    }),
  );
}

/** A case worth looking at in a demo. */
export interface ExampleCase {
  receiptNumber: string;
  agency: string;
  decided: boolean;
  events: number;
  /** The online access code it was given, to link it on "My cases". */
  accessCode?: string;
}

/**
 * Two cases to show someone trying the platform: per agency (in alphabetical order), the
 * case with the longest history, a pending one for the first agency (its page still
 * changes) and a decided one for the second (the whole lifecycle).
 */
function exampleCases(events: readonly SimulatedEvent[]): ExampleCase[] {
  const cases = new Map<string, ExampleCase>();
  for (const event of events) {
    const known = cases.get(event.receiptNumber) ?? { receiptNumber: event.receiptNumber, agency: event.agency, decided: false, events: 0 };
    known.events++;
    if (event.type === 'DecisionIssued') known.decided = true;
    if (event.type === 'CaseReopened') known.decided = false;
    cases.set(event.receiptNumber, known);
  }
  const agencies = [...new Set(events.map((event) => event.agency))];
  const picks: ExampleCase[] = [];
  [...agencies].sort().slice(0, 2).forEach((agency, index) => {
    const wantDecided = index === 1;
    const candidates = [...cases.values()].filter((c) => c.agency === agency && c.decided === wantDecided);
    const best = candidates.sort((a, b) => b.events - a.events || a.receiptNumber.localeCompare(b.receiptNumber))[0];
    if (best) picks.push(best);
  });
  return picks;
}

export interface LiveOptions extends PostOptions {
  simulation: Omit<SimulationConfig, 'start' | 'end' | 'arrivalsEnd'>;
  now: () => number;
  /** Real time during which one generated stretch's cases arrive; a new stretch follows. Default 1 hour. */
  horizonMs?: number;
  /** How often to look for events whose time has come. Default 1 s. */
  tickMs?: number;
  onPosted?: (result: PostResult) => void;
  onError?: (error: Error) => void;
}

export interface LiveHandle {
  /** Stops after the batch in flight, if any. */
  stop(): Promise<void>;
}

/**
 * Keeps a trickle going: new cases from now on, simulated time running `speedUp` times
 * faster than real time, each event posted once its time has come.
 */
export function live(options: LiveOptions): LiveHandle {
  const horizon = options.horizonMs ?? 3_600_000;
  const pending: SimulatedEvent[] = [];
  let stretchEnd = options.now();
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const extend = () => {
    const start = stretchEnd;
    stretchEnd = start + horizon;
    // Each stretch is its own seed, so its receipt numbers and event ids are its own; its
    // cases are followed for two simulated years so none is cut short.
    const lifetimeMs = (2 * 365 * 86_400_000) / (options.simulation.speedUp ?? 1);
    const simulation = {
      ...options.simulation,
      seed: `${String(options.simulation.seed)}/live/${start}`,
      start: new Date(start).toISOString(),
      arrivalsEnd: new Date(stretchEnd).toISOString(),
      end: new Date(stretchEnd + lifetimeMs).toISOString(),
      initialBacklogDays: 0,
    };
    pending.push(...simulate(simulation));
    // Stable: each case's events keep their order among equal times.
    pending.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  };

  const tick = async () => {
    const now = options.now();
    while (stretchEnd <= now + horizon / 10) extend();
    let due = 0;
    while (due < pending.length && Date.parse(pending[due].occurredAt) <= now) due++;
    if (due === 0) return;
    const result = await postEvents(pending.splice(0, due), options);
    options.onPosted?.(result);
  };

  const timer = setInterval(() => {
    if (stopped) return;
    inFlight = inFlight.then(tick).catch((error: unknown) => options.onError?.(error as Error));
  }, options.tickMs ?? 1000);

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
