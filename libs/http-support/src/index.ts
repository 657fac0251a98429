export * from './lib/security-headers';
