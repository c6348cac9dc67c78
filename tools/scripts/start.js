#!/usr/bin/env node
// `npm start`: builds the host bundle and the admin console, and runs the host with plain node (no
// dev server, no watch); the host serves the console at its root URL, printed below.
// Without real Amazon credentials configured, the bundled SP-API sandbox is started beside it
// (port SANDBOX_PORT, default 4010) so a newcomer can point a channel at it and watch quantities flow.
const { spawn, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '../..');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const withSandbox = process.env.SANDBOX !== 'off' && process.env.NODE_ENV !== 'production';
const sandboxProject = join(root, 'apps/amazon-sandbox/project.json');

// Building the host builds the console too (its build depends on console:build).
const targets = ['inventory-host'];
if (withSandbox && existsSync(sandboxProject)) targets.push('amazon-sandbox');
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', ...targets, '--output-style=static'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);

const children = [];
if (targets.includes('amazon-sandbox')) {
  const port = process.env.SANDBOX_PORT || '4010';
  const sandbox = spawn(process.execPath, [join(root, 'dist/apps/amazon-sandbox/main.js')], {
    cwd: root,
    env: { ...env, PORT: port, SANDBOX_SEED: process.env.SANDBOX_SEED || 'demo' },
    stdio: 'inherit',
  });
  children.push(sandbox);
  process.stderr.write(`\n  Amazon SP-API sandbox on http://localhost:${port} (no real Amazon calls are made).\n\n`);
}

const port = process.env.PORT || '3000';
const secrets = join(process.env.DATA_DIR || join(root, 'data'), 'secrets.json');
process.stderr.write(
  `\n  Admin console: http://localhost:${port}/\n` +
    `  Sign in with the admin token: ${process.env.ADMIN_TOKEN ? 'ADMIN_TOKEN' : existsSync(secrets) ? `"adminToken" in ${secrets}` : 'printed below on this first run'}.\n\n`,
);

const host = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps/inventory-host/main.js')], {
  cwd: root,
  env,
  stdio: 'inherit',
});
children.push(host);

const stop = (signal) => children.forEach((c) => c.exitCode === null && c.kill(signal));
process.on('SIGINT', () => stop('SIGTERM'));
process.on('SIGTERM', () => stop('SIGTERM'));
host.on('exit', (code) => {
  stop('SIGTERM');
  process.exit(code ?? 0);
});
