export * from './in-memory-projection-source';
export * from './estimate-scenario';
