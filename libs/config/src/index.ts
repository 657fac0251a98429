export * from './lib/read-config';
export * from './lib/fields';
