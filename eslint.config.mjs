import nx from '@nx/eslint-plugin';

// Dependency rule: apps -> libs; libs -> case-domain; case-domain -> nothing.
// `type:util` holds low-level technical helpers (no product logic) that adapters share;
// `type:runtime` is machinery adapters run on that speaks the stored-event contract (the projection runner).
const depConstraints = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:contract', 'type:util'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:runtime', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:domain', 'type:contract', 'type:adapter', 'type:runtime', 'type:util'] },
  // The one-process platform composes features; only apps use the composition.
  { sourceTag: 'type:composition', onlyDependOnLibsWithTags: ['type:feature', 'type:adapter', 'type:runtime', 'type:contract', 'type:domain', 'type:util'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:composition', 'type:feature', 'type:adapter', 'type:runtime', 'type:contract', 'type:domain', 'type:util'] },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  // Typed operations generated from the status API's schema (`npm run graphql:generate`).
  { ignores: ['**/node_modules', '**/dist', '.nx', 'tmp', '.data', '**/*.generated.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
];
