#!/usr/bin/env node
// Honest dependencies, the other half of tools/eslint/no-undeclared-imports.mjs (which fails on an
// import not declared): every package in the root package.json's `dependencies` (what a production
// install and the bundle's generated package.json carry) must be imported by production source
// (apps' and libs' src, not tests), be a peer another used dependency needs, or be in TOOLCHAIN
// below with its reason. Run by `npm run lint` (tools:lint depends on it).
const { readFileSync, readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '../..');
/** Needed at run time without an import in our source, and why. */
const TOOLCHAIN = {
  tslib: 'the helpers tsc emits with importHelpers (tsconfig.base.json)',
};
const SOURCE = /\.(c|m)?(t|j)sx?$/;
const SKIP = /(\.spec\.|\.e2e-spec\.|\/testing\/|\/test\/|\/__fixtures__\/)/;
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'".][^'"]*)['"]/g;

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (SOURCE.test(name) && !SKIP.test(relative(root, path))) yield path;
  }
}

function productionSourceRoots() {
  const roots = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'node_modules' || !statSync(path).isDirectory()) continue;
      if (name === 'src') roots.push(path);
      else walk(path);
    }
  };
  for (const top of ['apps', 'libs']) walk(join(root, top));
  return roots;
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = Object.keys(pkg.dependencies ?? {});
const imported = new Set();
for (const dir of productionSourceRoots()) {
  for (const file of sourceFiles(dir)) {
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) imported.add(packageName(m[1]));
  }
}
// Peers of what is used are used too (rxjs and reflect-metadata for Nest, for instance).
const used = new Set([...imported].filter((d) => declared.includes(d)));
for (let grew = true; grew; ) {
  grew = false;
  for (const d of [...used]) {
    let peers = {};
    try {
      peers = JSON.parse(readFileSync(join(root, 'node_modules', d, 'package.json'), 'utf8')).peerDependencies ?? {};
    } catch {
      // Not installed: npm ci would have failed first; nothing to add.
    }
    for (const p of Object.keys(peers)) if (declared.includes(p) && !used.has(p)) used.add(p), (grew = true);
  }
}
const unused = declared.filter((d) => !used.has(d) && !(d in TOOLCHAIN));
if (unused.length) {
  console.error(
    `Declared in package.json "dependencies" but imported by no production source (apps/*/src, libs/**/src) and needed by no used package: ${unused.join(', ')}.\n` +
      'Drop them (npm uninstall <name>), or move them to devDependencies if only tests and tools use them.',
  );
  process.exit(1);
}
console.log(`dependencies: all ${declared.length} used (${imported.size} packages imported by production source)`);
