import type { Pool } from 'pg';
import type { Logger } from '@case-status/logging';
import { LeaderElection, type ComponentHealth, type LeaderElectionOptions } from '@case-status/postgres-support';
import type { CaseStatusPublisher } from './case-status-publisher.port';
import { CaseStatusRelay } from './case-status-relay';
import { createKafka } from './kafka-client';
import { KafkaCaseStatusPublisher } from './kafka-case-status-publisher';
import type { KafkaConnection } from './kafka-connection';
import { PostgresRelayCheckpoints } from './relay-checkpoint';
import type { RelaySource } from './relay-source.port';
import { ensureCaseStatusTopics, type EnsuredTopic, type TopicSettings } from './topics';

/** The connection, and the settings of topics created now (`ensureCaseStatusTopics`' defaults otherwise). */
export interface KafkaPublisherWiring extends Pick<TopicSettings, 'topic' | 'partitions' | 'replicationFactor' | 'minInsyncReplicas'> {
  connection: KafkaConnection;
  clientId: string;
}

/**
 * The status-change topics (created when missing: the notifier's consumer needs them too),
 * then the publisher on them: what a relay to Kafka opens first.
 */
export async function openKafkaPublisher(options: KafkaPublisherWiring): Promise<{ publisher: KafkaCaseStatusPublisher; topics: EnsuredTopic[] }> {
  const kafka = createKafka({ ...options.connection, clientId: options.clientId });
  const { topic, partitions, replicationFactor, minInsyncReplicas } = options;
  const topics = await ensureCaseStatusTopics(kafka, { topic, partitions, replicationFactor, minInsyncReplicas });
  return { publisher: await KafkaCaseStatusPublisher.connect({ kafka, topic: options.topic }), topics };
}

export interface RelayWiring {
  /** Holds the relay's checkpoint. */
  pool: Pool;
  source: RelaySource;
  publisher: CaseStatusPublisher;
  /** Schema of the checkpoint table. */
  checkpointSchema: string;
  /** The relay's checkpoint row; default `case.status-changed.v1`. */
  checkpointName?: string;
  logger?: Logger;
  /**
   * Relay in one instance at a time among those of the same checkpoint: the one holding the
   * advisory lock `case-status/leader/relay/<checkpoint schema>/<checkpoint name>` (see
   * `LeaderElection`); the others stand by and take over when its session ends.
   */
  election?: Omit<LeaderElectionOptions, 'pool' | 'key' | 'logger'>;
}

/** A started relay, elected or not: what services wait on, stop, and ask for readiness and metrics. */
export interface RunningRelay {
  readonly closed: Promise<void>;
  stop(): Promise<void>;
  health(): ComponentHealth;
  /** Status changes acknowledged by the publisher since this process started. */
  readonly publishedCount: number;
  /** With an election: whether this instance leads. */
  readonly election?: LeaderElection<CaseStatusRelayWork>;
}

interface CaseStatusRelayWork {
  relay: CaseStatusRelay;
  closed: Promise<void>;
  stop(reason: 'stopping' | 'lost'): Promise<void>;
}

/** The relay as every service that runs it starts it: its checkpoint table migrated, then relaying from the checkpoint. */
export async function startRelay(options: RelayWiring): Promise<RunningRelay> {
  const checkpoints = new PostgresRelayCheckpoints({ pool: options.pool, schema: options.checkpointSchema, name: options.checkpointName });
  await checkpoints.migrate();
  const relayOptions = { source: options.source, publisher: options.publisher, checkpoints, logger: options.logger };
  if (!options.election) return CaseStatusRelay.start(relayOptions);
  // Counted across terms: a standby that led before keeps what it published then.
  let earlier = 0;
  const election = new LeaderElection<CaseStatusRelayWork>(
    { ...options.election, pool: options.pool, key: `case-status/leader/relay/${options.checkpointSchema}/${checkpoints.name}`, logger: options.logger },
    async () => {
      const relay = await CaseStatusRelay.start(relayOptions);
      return {
        relay,
        closed: relay.closed,
        stop: async (reason) => {
          await (reason === 'lost' ? relay.halt() : relay.stop());
          earlier += relay.publishedCount;
        },
      };
    },
  );
  return {
    closed: election.closed,
    stop: () => election.stop(),
    health: () => election.health((work) => work.relay.health()),
    get publishedCount() {
      return earlier + (election.work?.relay.publishedCount ?? 0);
    },
    election,
  };
}
