export * from './lib/intake.module';
export * from './lib/intake.openapi';
export * from './lib/agency-auth';
export * from './lib/intake-problem';
export * from './lib/record-case-events.handler';
export * from './lib/refusal-log';
export * from './lib/intake.app';
