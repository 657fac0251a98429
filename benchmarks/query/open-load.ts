import { Agent, request as httpRequest } from 'node:http';

export interface OpenLoadResult {
  /** Requests sent in the run; every one was answered (or counted as failed) before it ended. */
  requests: number;
  perSecond: number;
  /** Exact percentiles of every answer's latency, from the moment it was due (ms). */
  p50: number;
  p99: number;
  max: number;
  failed: number;
  firstFailure: string | null;
}

/**
 * Load as independent visitors make it, at a fixed rate (an open model). Arrivals are a
 * Poisson process, so they bunch now and then as real visits do, with exactly
 * `rate × seconds` of them (given their number, a Poisson process's arrival times are
 * independent uniform times, sorted). Each request goes out when it is due whether or not
 * earlier ones were answered, over kept-alive connections opened as needed, at most
 * `maxConnections` (a request that finds them all busy waits, and the wait counts). Latency
 * runs from when the request was due to its last byte, so a late send or a queue in the load
 * generator counts against the server.
 *
 * autocannon's `overallRate` is not this: it gives each connection an equal share of the
 * rate per second, and each connection sends its share back to back when the second starts.
 * With 64 connections at 500 req/s, 64 requests arrive at once every second and none for
 * the rest of it, a pattern no set of independent visitors makes.
 */
export async function openLoad(options: {
  url: string;
  rate: number;
  seconds: number;
  maxConnections: number;
  request: () => { path: string; headers?: Record<string, string> };
  isExpected: (status: number, body: Buffer) => boolean;
}): Promise<OpenLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxConnections });
  const target = new URL(options.url);
  const latencies: number[] = [];
  let failed = 0;
  let firstFailure: string | null = null;
  const fail = (why: string) => {
    failed++;
    firstFailure ??= why;
  };
  const send = (due: number): Promise<void> =>
    new Promise((resolve) => {
      const { path, headers } = options.request();
      const outgoing = httpRequest({ host: target.hostname, port: target.port, path, method: 'GET', headers, agent, timeout: 10_000 }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          latencies.push(performance.now() - due);
          const body = Buffer.concat(chunks);
          if (!options.isExpected(response.statusCode ?? 0, body)) fail(`${response.statusCode} ${body.subarray(0, 200).toString()}`);
          resolve();
        });
        response.on('error', (error) => (fail(error.message), resolve()));
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 10 s')));
      outgoing.on('error', (error) => (fail(error.message), resolve()));
      outgoing.end();
    });

  const arrivals = Float64Array.from({ length: Math.round(options.rate * options.seconds) }, () => Math.random() * options.seconds * 1000).sort();
  const start = performance.now();
  const pending: Promise<void>[] = [];
  // Each tick sends every request that has come due; a timer's lateness is counted, not hidden.
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      while (pending.length < arrivals.length && start + arrivals[pending.length] <= now) pending.push(send(start + arrivals[pending.length]));
      if (pending.length === arrivals.length) done();
      else setTimeout(tick, Math.max(0, Math.min(start + arrivals[pending.length] - performance.now(), 5)));
    };
    tick();
  });
  await Promise.all(pending);
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return {
    requests: pending.length,
    perSecond: pending.length / options.seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? 0,
    failed,
    firstFailure,
  };
}
