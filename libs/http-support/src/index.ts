export * from './lib/security-headers';
export * from './lib/client-address';
