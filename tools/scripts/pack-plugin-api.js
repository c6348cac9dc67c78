#!/usr/bin/env node
// Builds the plugin contract (libs/plugin-api) as an npm package for plugins kept outside this
// repo: CommonJS + type declarations, versioned as the contract (INVENTORY_SYNC_API_VERSION).
// External plugins use it for types only; the host hands them everything at run time.
//   node tools/scripts/pack-plugin-api.js [outDir]      (default dist/plugin-api)
// then `npm pack` in outDir, or `npm install -D <outDir>` in the plugin package.
const { spawnSync } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = join(__dirname, '../..');
const out = resolve(process.argv[2] || join(root, 'dist/plugin-api'));
const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
const args = [join(root, 'libs/plugin-api/src/index.ts'), '--outDir', out, '--declaration', '--module', 'commonjs', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node'];
const r = spawnSync(process.execPath, [tsc, ...args], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const { INVENTORY_SYNC_API_VERSION } = require(join(out, 'lib/version.js'));
const pkg = {
  name: '@invsync/plugin-api',
  version: INVENTORY_SYNC_API_VERSION,
  description: 'The inventory-sync plugin contract: manifest, activation context and channel types',
  license: 'MIT',
  main: 'index.js',
  types: 'index.d.ts',
};
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
process.stdout.write(`@invsync/plugin-api ${INVENTORY_SYNC_API_VERSION} in ${out}\n`);
