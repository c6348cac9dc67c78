#!/usr/bin/env node
// `npm run bench [-- --quick|--medium|--large ...]`: runs the TypeScript entry with ts-node
// (transpile only: `nx run bench:typecheck` checks the types) and the workspace's path aliases, so the
// benchmarks run the same sources as the host without a build step.
const path = require('node:path');
const root = path.resolve(__dirname, '../..');
require('ts-node').register({
  project: path.join(__dirname, 'tsconfig.json'),
  transpileOnly: true,
  compilerOptions: { module: 'commonjs', sourceMap: true },
});
const base = require(path.join(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: base.compilerOptions.paths });
require('./src/main.ts');
