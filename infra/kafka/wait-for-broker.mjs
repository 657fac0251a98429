// Waits until a Kafka broker answers a metadata request (not merely accepts TCP), or fails with a
// clear message: when the timeout passes, or at once when the broker process has died. With
// [brokers], it also waits until the cluster has at least that many brokers (infra/kafka/cluster.sh).
// Usage: node wait-for-broker.mjs <host:port> <timeout seconds> [broker pid] [brokers]
import { Kafka, logLevel } from 'kafkajs';

const [broker, timeoutArg, pidArg, brokersArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg) * 1000;
if (!broker || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
  console.error('usage: node wait-for-broker.mjs <host:port> <timeout seconds> [broker pid] [brokers]');
  process.exit(2);
}
const pid = pidArg ? Number(pidArg) : undefined;
const wantedBrokers = brokersArg ? Number(brokersArg) : 1;

function alive(p) {
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
}

const started = Date.now();
const kafka = new Kafka({
  clientId: 'case-status-wait',
  brokers: [broker],
  logLevel: logLevel.NOTHING,
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
});
let lastError = 'no attempt made';
while (Date.now() - started < timeoutMs) {
  if (pid !== undefined && !alive(pid)) {
    console.error(`kafka: the broker process (pid ${pid}) exited before answering on ${broker}`);
    process.exit(1);
  }
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length >= wantedBrokers && cluster.controller !== null && cluster.controller >= 0) {
      await admin.disconnect();
      console.log(`kafka: ready on ${broker} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
      process.exit(0);
    }
    lastError =
      cluster.brokers.length < wantedBrokers
        ? `the cluster has ${cluster.brokers.length} of ${wantedBrokers} brokers`
        : 'the broker answered but has no active controller yet';
  } catch (error) {
    lastError = error instanceof Error ? error.message : String(error);
  }
  await admin.disconnect().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
console.error(`kafka: nothing answered on ${broker} within ${timeoutArg}s (last error: ${lastError})`);
process.exit(1);
