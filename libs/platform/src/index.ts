export * from './lib/platform';
export * from './lib/in-process-case-status-publisher';
