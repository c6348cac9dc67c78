import { generateFiles, type Tree } from '@nx/devkit';
import { INVENTORY_SYNC_API_VERSION, INVENTORY_SYNC_ENGINE } from '@invsync/plugin-api';
import { join } from 'node:path';

export interface StandaloneOptions {
  name: string;
  displayName: string;
  className: string;
  engineRange: string;
  /** Where the package goes, relative to the workspace root. */
  directory: string;
  packageName: string;
}

/** npm's rule for new package names. */
const NPM_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

/** Why the standalone package cannot be written (empty when it can). */
export function checkStandalone(tree: Tree, o: Pick<StandaloneOptions, 'directory' | 'packageName'>): string[] {
  const problems: string[] = [];
  if (!NPM_NAME.test(o.packageName) || o.packageName.length > 214) problems.push(`--packageName "${o.packageName}" is not a valid npm package name`);
  if (/^(\.\.|\/)/.test(o.directory) || o.directory.split('/').includes('..')) problems.push(`--directory "${o.directory}" must be inside the workspace (write it there, then move it)`);
  else if (/^libs(\/|$)/.test(o.directory)) problems.push(`--directory "${o.directory}": a standalone package does not go under libs/ (omit --standalone for an in-repo lib)`);
  else if (tree.exists(o.directory) && tree.children(o.directory).length) problems.push(`${o.directory} exists already`);
  return problems;
}

/**
 * A plugin as its own npm package, loaded by a deployed host from PLUGINS / PLUGINS_DIR without
 * rebuilding it: the manifest lives in package.json (`inventorySync`, with `version` and
 * `engines["inventory-sync"]` beside it), the code is plain CommonJS in `dist/`, the contract is a
 * types-only devDependency and the tests run on Node's own runner, so the package needs nothing
 * from this monorepo once written.
 */
export function writeStandalonePackage(tree: Tree, o: StandaloneOptions): void {
  generateFiles(tree, join(__dirname, 'files-standalone'), o.directory, { ...o, tmpl: '' });
  const [major, minor] = INVENTORY_SYNC_API_VERSION.split('.');
  const pkg = {
    name: o.packageName,
    version: '0.1.0',
    description: `Sends listing quantities to ${o.displayName} (inventory-sync channel plugin)`,
    license: 'UNLICENSED',
    main: 'dist/index.js',
    types: 'dist/index.d.ts',
    files: ['dist', '!dist/**/*.test.*'],
    keywords: ['inventory-sync-plugin'],
    engines: { node: '>=20.11', [INVENTORY_SYNC_ENGINE]: o.engineRange },
    scripts: {
      build: 'tsc -p tsconfig.json',
      test: 'tsc -p tsconfig.json && node --test dist/index.test.js',
      prepack: 'npm run build',
    },
    // The host reads this before it runs any code of the package (docs/plugins.md, "Publishing a plugin").
    inventorySync: {
      id: o.name,
      displayName: o.displayName,
      activationEvents: [`onChannelType:${o.name}`],
      contributes: {
        channelTypes: [
          {
            id: o.name,
            displayName: o.displayName,
            fulfilment: 'merchant',
            capabilities: { pushQuantities: true },
            maxBatchSize: 100,
            settingsSchema: {
              type: 'object',
              properties: {
                account: { type: 'string', minLength: 1, maxLength: 200, description: `The account (shop) on ${o.displayName}` },
                apiKey: { type: 'string', minLength: 8, maxLength: 4096, 'x-secret': true, description: 'API key of the account' },
              },
              required: ['account', 'apiKey'],
            },
          },
        ],
      },
    },
    devDependencies: {
      '@invsync/plugin-api': `^${major}.${minor}.0`,
      '@types/node': '^20.11.0',
      typescript: '^5.9.0',
    },
  };
  tree.write(join(o.directory, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
}
