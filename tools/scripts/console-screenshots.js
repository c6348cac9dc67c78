#!/usr/bin/env node
// `npm run console:screenshots`: builds the admin console and runs its browser test (headless
// Chromium against the real host and the SP-API sandbox) with SCREENSHOTS_DIR set, which writes a
// PNG of every page to docs/console/ (shown in docs/console.md).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const root = join(__dirname, '../..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const run = (cmd, args, extra = {}) => {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...env, ...extra }, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run('npx', ['nx', 'run', 'console:build', '--output-style=static']);
run('npx', ['jest', '-c', 'apps/inventory-host/jest.config.cts', 'apps/inventory-host/test/console.e2e-spec.ts'], { SCREENSHOTS_DIR: 'docs/console' });
process.stderr.write('\n  Screenshots written to docs/console/ (see docs/console.md).\n');
