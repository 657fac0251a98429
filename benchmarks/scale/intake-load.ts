import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { CaseEvent } from '@case-status/case-domain';
import { MAX_BATCH_SIZE } from '@case-status/intake-contract';
import { lifecycle } from '../query/lifecycles';
import { freePort, measure, startServer, type Measurement, type RunningServer } from '../query/load-test';
import { report, serverAndBackendsCpu, withServer } from '../query/status-lookups';
import { intakeCredentials, UNLIMITED_INTAKE } from '../support/intake-credentials';

/**
 * Intake of new cases' events through the real intake API (apps/intake-api, its own
 * process): one event per POST over many connections, as agencies mostly send them, then
 * batches of MAX_BATCH_SIZE events. The events are the realistic USCIS lifecycles of
 * query/lifecycles.ts under receipt numbers from `firstCase` on (kept clear of the generated
 * cases), each case's events in order: a case's next single event is sent only once its
 * previous one was answered.
 */

interface Submission {
  eventId: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** What an agency submits for a lifecycle event: what the platform derives (agency, receipt number, the office a case leaves) left out. */
function submission(event: CaseEvent): Submission {
  const data = { ...(event.data as Record<string, unknown>) };
  if (event.type === 'CaseReceived') {
    delete data['agency'];
    delete data['receiptNumber'];
  }
  if (event.type === 'CaseTransferred') delete data['fromOffice'];
  return { eventId: randomUUID(), type: event.type, occurredAt: event.occurredAt, data };
}

/** New USCIS cases, numbered from `firstCase`, each with the lifecycle of a base case. */
export class NewCases {
  private next: number;
  private readonly uscisBase: number[];

  constructor(
    firstCase: number,
    /** Base case numbers to take lifecycles from (the USCIS ones are used). */
    base: number,
  ) {
    this.next = firstCase;
    this.uscisBase = Array.from({ length: base }, (_, n) => n).filter((n) => lifecycle(n, 0).agency === 'USCIS');
  }

  /** The number the next new case gets. */
  get nextCase(): number {
    return this.next;
  }

  take(): { receipt: string; submissions: Submission[] } {
    const m = this.next++;
    const { receipt, events } = lifecycle(this.uscisBase[m % this.uscisBase.length], m);
    return { receipt, submissions: events.map(submission) };
  }
}

export interface IntakeFigures {
  single: Measurement;
  batched: Measurement;
  /** Events per batch request (every batch is full). */
  batchSize: number;
}

/** Single-event POSTs, then full batches, against one intake API over `eventStoreSchema`. */
export async function measureIntake(
  run: { pool: Pool; databaseUrl: string; servers: Set<RunningServer>; connections: number; batchConnections: number; warmupSeconds: number; seconds: number; serverNodeEnv: string },
  options: { eventStoreSchema: string; cases: NewCases; label: string },
): Promise<IntakeFigures> {
  const credentials = await intakeCredentials('scale');
  const port = await freePort();
  const opsPort = await freePort();
  try {
    return await withServer(
      run.servers,
      () =>
        startServer({
          entry: 'apps/intake-api/src/main.ts',
          env: {
            NODE_ENV: run.serverNodeEnv,
            INTAKE_AGENCY_KEYS_FILE: credentials.keysFile,
            INTAKE_PORT: String(port),
            OPS_PORT: String(opsPort),
            HOST: '127.0.0.1',
            DATABASE_URL: run.databaseUrl,
            EVENT_STORE_SCHEMA: options.eventStoreSchema,
            ...UNLIMITED_INTAKE,
          },
          port,
          readyPath: '/health/live',
          timeoutMs: 90_000,
        }),
      async (server) => {
        const headers = { authorization: `Bearer ${credentials.token}` };

        // One event per request; a case's next event waits for the answer to its previous one.
        const ready: { receipt: string; submissions: Submission[]; next: number }[] = [];
        const waiting = new Map<string, { receipt: string; submissions: Submission[]; next: number }>();
        const single = await measure({
          url: server.url,
          connections: run.connections,
          warmupSeconds: run.warmupSeconds,
          seconds: run.seconds,
          status: 201,
          post: {
            headers,
            request: () => {
              const item = ready.shift() ?? { ...options.cases.take(), next: 0 };
              const event = item.submissions[item.next];
              waiting.set(event.eventId, item);
              return { path: `/v1/cases/${item.receipt}/events`, body: JSON.stringify(event) };
            },
          },
          isExpected: (body) => {
            const { eventId } = JSON.parse(body) as { eventId?: string };
            const item = eventId === undefined ? undefined : waiting.get(eventId);
            if (!item) return false;
            waiting.delete(eventId as string);
            if (++item.next < item.submissions.length) ready.push(item);
            return true;
          },
          cpuSeconds: serverAndBackendsCpu(run.pool, server),
        });
        report(`${options.label}, single`, single, 'ev/s ');

        // Full batches: whole lifecycles of new cases, the last one cut short where the batch is full (a case still pending).
        const batchBody = (): string => {
          const events: (Submission & { receiptNumber: string })[] = [];
          while (events.length < MAX_BATCH_SIZE) {
            const { receipt, submissions } = options.cases.take();
            for (const s of submissions.slice(0, MAX_BATCH_SIZE - events.length)) events.push({ receiptNumber: receipt, ...s });
          }
          return JSON.stringify({ events });
        };
        const batched = await measure({
          url: server.url,
          connections: run.batchConnections,
          warmupSeconds: run.warmupSeconds,
          seconds: run.seconds,
          post: { headers, request: () => ({ path: '/v1/events/batch', body: batchBody() }) },
          isExpected: (body) => {
            const answer = JSON.parse(body) as { recorded?: number; refused?: number };
            return answer.recorded === MAX_BATCH_SIZE && answer.refused === 0;
          },
          cpuSeconds: serverAndBackendsCpu(run.pool, server),
        });
        report(`${options.label}, batches`, batched, 'req/s');
        return { single, batched, batchSize: MAX_BATCH_SIZE };
      },
    );
  } finally {
    credentials.remove();
  }
}
