export * from './lib/embedded-postgres';
export { DEFAULT_WIRE_SERVER_LIMITS, type WireServerOptions } from './lib/wire-server';
