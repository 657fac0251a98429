import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const workspaceRoot = join(__dirname, '../../../..');
const run = promisify(execFile);

/** Whether nothing listens on 127.0.0.1:`port` (and we may). */
const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A three-node Kafka cluster of its own (infra/kafka/cluster.sh) on six free loopback ports and
 * storage in a temporary directory, so a drill can kill a broker without disturbing the broker
 * other suites share. Nodes are numbered 1 to 3, as their Kafka node ids.
 */
export class KafkaCluster {
  private constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly dir: string,
    readonly brokers: string,
  ) {}

  static async start(): Promise<KafkaCluster> {
    let base = 0;
    for (let attempt = 0; attempt < 20 && base === 0; attempt++) {
      const candidate = 20_000 + 2 * Math.floor(Math.random() * 10_000);
      const ports = Array.from({ length: 6 }, (_, i) => candidate + i);
      if ((await Promise.all(ports.map(isFree))).every(Boolean)) base = candidate;
    }
    if (base === 0) throw new Error('no six consecutive free ports found for a Kafka cluster');
    const dir = mkdtempSync(join(tmpdir(), 'kafka-cluster-'));
    const env = { ...process.env, KAFKA_CLUSTER_PORT: String(base), KAFKA_CLUSTER_DIR: dir };
    const cluster = new KafkaCluster(env, dir, [0, 1, 2].map((i) => `127.0.0.1:${base + 2 * i}`).join(','));
    await cluster.script('start', '--fresh');
    return cluster;
  }

  /** kill -9 node `n`: no shutdown of any kind, as a lost host. */
  async kill(node: number): Promise<void> {
    await this.script('kill', String(node));
  }

  /** Starts node `n` again on its storage; resolves once it answers. */
  async startNode(node: number): Promise<void> {
    await this.script('start-node', String(node));
  }

  /** Stops every node and removes the storage. */
  async stop(): Promise<void> {
    await this.script('stop');
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async script(...args: string[]): Promise<void> {
    try {
      await run('bash', ['infra/kafka/cluster.sh', ...args], { cwd: workspaceRoot, env: this.env });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`infra/kafka/cluster.sh ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
    }
  }
}
