export * from './in-memory-read-models';
export * from './caseworker-tokens';
