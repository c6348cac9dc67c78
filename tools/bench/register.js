// Lets Node run the bench's TypeScript sources directly: ts-node (transpile only: `nx run
// bench:typecheck` checks the types) and the workspace's path aliases, so the benchmarks run the same
// sources as the host without a build step. Required by run.js and preloaded (`--require`) by the
// processes the bench forks.
const path = require('node:path');
const root = path.resolve(__dirname, '../..');
require('ts-node').register({
  project: path.join(__dirname, 'tsconfig.json'),
  transpileOnly: true,
  compilerOptions: { module: 'commonjs', sourceMap: true },
});
const base = require(path.join(root, 'tsconfig.base.json'));
require('tsconfig-paths').register({ baseUrl: root, paths: base.compilerOptions.paths });
