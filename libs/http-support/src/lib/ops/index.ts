export * from './metrics';
export * from './readiness';
export * from './ops-routes';
export * from './health-settings';
