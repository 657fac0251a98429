export * from './lib/case-status-changed.v1';
