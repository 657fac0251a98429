export * from './lib/agency-token-verifier';
