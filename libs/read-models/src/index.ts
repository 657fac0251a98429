export * from './lib/read-model.queries';
