import type { Pool } from 'pg';

/** What a hot standby says of itself: whether it is one, whether it streams, and how old its newest data may be. */
export interface ReplicaState {
  /** True on a hot standby (`pg_is_in_recovery()`); on a primary the rest says nothing is missing. */
  standby: boolean;
  /**
   * True while its WAL receiver streams from the primary, false when it doesn't, null when the
   * connecting role may not see the receiver's state (it needs `pg_read_all_stats`).
   */
  streaming: boolean | null;
  /**
   * An upper bound on how stale the data read here is, in milliseconds: 0 when everything the
   * standby received is replayed; otherwise the age of the last transaction it replayed (the
   * changes after it are received but not yet visible).
   */
  lagMs: number;
}

/**
 * One round trip to a server that may be a hot standby. The bound errs on the stale side: after
 * a quiet hour on the primary, the first change the standby has not replayed yet shows an hour.
 */
export async function readReplicaState(pool: Pool): Promise<ReplicaState> {
  const { rows } = await pool.query<{ standby: boolean; streaming: boolean | null; lag_ms: string | null }>(`
    SELECT pg_is_in_recovery() AS standby,
           CASE WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver) THEN false
                ELSE (SELECT status = 'streaming' FROM pg_stat_wal_receiver) END AS streaming,
           CASE WHEN NOT pg_is_in_recovery() THEN 0
                WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                ELSE GREATEST(0, EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)
           END AS lag_ms`);
  const [row] = rows;
  return {
    standby: row.standby,
    streaming: row.standby ? row.streaming : null,
    lagMs: Math.round(Number(row.lag_ms ?? 0)),
  };
}
