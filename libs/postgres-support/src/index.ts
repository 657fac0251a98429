export * from './lib/postgres-support';
