export * from './lib/submission.schema';
export * from './lib/responses';
export * from './lib/access-code';
