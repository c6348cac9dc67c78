import nx from '@nx/eslint-plugin';
import dependencies from './tools/eslint/no-undeclared-imports.mjs';

// The layering of docs/architecture: who may import whom, checked on every `npm run lint`.
//   type:contract  libs/plugin-api            -> nothing of ours
//   type:domain    libs/domain/*              -> domain, contract (never an app, a plugin or Amazon code)
//   type:amazon    libs/channels/amazon-spapi -> contract
//   type:plugin    libs/channels/*            -> contract, amazon (never the host, a domain lib or another plugin)
//   type:app       apps/inventory-host        -> anything below it (not the sandbox)
//   type:sandbox   the SP-API sandbox         -> sandbox only (an independent stand-in for Amazon)
//   type:tool      tools/*                    -> anything (benchmarks start the SP-API sandbox, as tests do)
//   type:console   apps/console               -> nothing of ours (a browser app: the admin API is its only way in)
// Inside the domain: shared < catalog < stock < availability < channels < {sync, orders, managed-warehouses}.
// Inside the domain, each lib may import only the libs below it (its README says which).
const domainBelow = {
  shared: [],
  catalog: ['shared'],
  stock: ['shared', 'catalog'],
  availability: ['shared', 'catalog', 'stock'],
  channels: ['shared', 'catalog', 'stock', 'availability'],
  sync: ['shared', 'catalog', 'stock', 'availability', 'channels'],
  orders: ['shared', 'catalog', 'stock', 'availability', 'channels'],
  'managed-warehouses': ['shared', 'catalog', 'stock', 'availability', 'channels'],
};
// Tests may also use the sync engine's test fixture (a whole engine over a real database).
const domainLayers = (forTests = false) =>
  Object.entries(domainBelow).map(([lib, below]) => ({
    sourceTag: `domain:${lib}`,
    onlyDependOnLibsWithTags: ['type:contract', ...below.map((b) => `domain:${b}`), ...(forTests && lib !== 'sync' ? ['domain:sync'] : [])],
  }));

const depConstraints = [
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contract'] },
  ...domainLayers(),
  { sourceTag: 'type:amazon', onlyDependOnLibsWithTags: ['type:contract'] },
  { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: ['type:contract', 'type:amazon'] },
  { sourceTag: 'type:sandbox', onlyDependOnLibsWithTags: ['type:sandbox'] },
  { sourceTag: 'type:console', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contract', 'type:domain', 'type:amazon', 'type:plugin'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contract', 'type:domain', 'type:amazon', 'type:plugin', 'type:app', 'type:sandbox'] },
];

// Tests may also start the bundled SP-API sandbox (a test double of Amazon, never production code).
const testDepConstraints = [
  ...depConstraints.filter((c) => !c.sourceTag.startsWith('domain:')),
  ...domainLayers(true),
].map((c) => ({ ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:sandbox'] }));

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.nx', '**/coverage', 'data/**'] },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.cts', '**/*.mjs', '**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints,
        },
      ],
    },
  },
  // Honest dependencies: production code imports only `dependencies`; tests, tools and configs may
  // use `devDependencies` too.
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.cts', '**/*.mjs', '**/*.mts'],
    plugins: { dependencies },
    rules: { 'dependencies/no-undeclared-imports': ['error', { allowDevDependencies: true }] },
  },
  {
    files: ['apps/*/src/**/*.ts', 'apps/*/src/**/*.tsx', 'libs/**/src/**/*.ts'],
    // The SP-API sandbox is a test double (never deployed): its packages are development ones.
    // The console's packages (React, Mantine, ...) are bundled into static files at build time and
    // never installed in production: development ones too.
    ignores: ['**/*.spec.ts', '**/testing/**', 'libs/sandbox/**', 'apps/amazon-sandbox/**', 'apps/console/**'],
    rules: { 'dependencies/no-undeclared-imports': ['error', { allowDevDependencies: false }] },
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.cts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['**/*.cts', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: testDepConstraints }],
    },
  },
  {
    // Generated from Amazon's models (npm run gen:spapi-types): the generator writes `{}` for empty sections.
    files: ['**/src/lib/generated/**/*.ts'],
    rules: { '@typescript-eslint/no-empty-object-type': 'off', '@typescript-eslint/no-empty-interface': 'off' },
  },
];
