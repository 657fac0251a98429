export * from './lib/stored-event';
