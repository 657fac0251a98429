export * from './lib/logger';
