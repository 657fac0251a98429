export * from './lib/submission.schema';
export * from './lib/responses';
