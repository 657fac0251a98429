export * from './lib/logger';
export * from './lib/redact';
export * from './lib/tracing';
