export * from './lib/case-status-changed.v1';
export * from './lib/case-status-changed.v1.kafka';
