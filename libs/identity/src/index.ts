export * from './lib/assurance';
export * from './lib/session-policy';
export { migrateSessions } from './lib/session.migrations';
export * from './lib/postgres-session-store';
export * from './lib/relying-party';
export * from './lib/local-users';
export * from './lib/local-identity-provider';
export { staffTokenKeysOf, startLocalSignIn } from './lib/local-sign-in';
