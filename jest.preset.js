// Shared Jest settings. TypeScript is compiled by SWC to CommonJS with decorator metadata
// (Nest needs it); NestJS 12 and a few of its dependencies ship ESM only, so they are
// compiled too rather than ignored.
const esmPackages = [
  '@nestjs', 'file-type', 'load-esm', 'strtok3', 'token-types', '@tokenizer', '@borewit',
  'uint8array-extras', 'cookie', 'content-disposition', 'quick-lru', 'mercurius', '@electric-sql', 'jose',
  'oidc-provider', 'openid-client', 'oauth4webapi',
];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2023',
        },
        module: { type: 'commonjs' },
      },
    ],
    // Server-rendered pages (libs/web) are TSX with Preact's automatic JSX runtime.
    '^.+\\.tsx$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic', importSource: 'preact' } },
          target: 'es2023',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  moduleNameMapper: {
    '^@case-status/(event-store|messaging|integration-events|http-support|postgres-support|identity)/testing$': '<rootDir>/../../libs/$1/src/testing.ts',
    '^@case-status/(notifications|public-api|read-models)/testing$': '<rootDir>/../../libs/$1/src/testing/index.ts',
    '^@case-status/(.*)$': '<rootDir>/../../libs/$1/src/index.ts',
  },
};
