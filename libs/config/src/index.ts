export * from './lib/read-config';
export * from './lib/fields';
export * from './lib/run-service';
