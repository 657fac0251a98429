export * from './lib/history';
export * from './lib/simulated-history';
export * from './lib/replay';
export * from './lib/scoring';
export * from './lib/regimes';
export * from './lib/csv-history';
export * from './lib/targets';
