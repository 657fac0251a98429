export * from './lib/security-headers';
export * from './lib/client-address';
export * from './lib/shared-rate-limit-store';
export * from './lib/listening-url';
export * from './lib/ops';
export * from './lib/http-tracing';
