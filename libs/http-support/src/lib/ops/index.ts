export * from './metrics';
export * from './readiness';
export * from './ops-routes';
export * from './health.module';
export * from './health-settings';
