export * from './lib/logger';
export * from './lib/redact';
export * from './lib/tracing';
export * from './lib/nest-logger';
