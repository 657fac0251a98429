export * from './lib/postgres-support';
export * from './lib/notified-polling-loop';
export * from './lib/connectivity';
export * from './lib/replication';
export * from './lib/leader-election';
