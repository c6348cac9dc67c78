import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { HOST_BUNDLE, spawnHost } from './support/host-process';
import { TEST_SECRETS_KEY, TEST_TOKEN } from './support/test-host';

/**
 * README "Deploying", followed as a new operator does: a fresh working folder holding the built
 * `dist` (nothing else, no data folder), `NODE_ENV=production ADMIN_TOKEN=... SECRETS_KEY=...
 * node dist/apps/inventory-host/main.js`, default SQLite. Only PORT/HOST differ (any free port).
 */
describe('the README deploy command', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'invsync-deploy-'));
    symlinkSync(resolve(dirname(HOST_BUNDLE), '../..'), join(dir, 'dist'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function deployAndCheck(env: Record<string, string>, dataDir: string) {
    expect(existsSync(dataDir)).toBe(false);
    const host = spawnHost(
      { NODE_ENV: 'production', ADMIN_TOKEN: TEST_TOKEN, SECRETS_KEY: TEST_SECRETS_KEY, PORT: '0', HOST: '127.0.0.1', ...env },
      { cwd: dir, script: 'dist/apps/inventory-host/main.js' },
    );
    try {
      const base = `http://127.0.0.1:${await host.port}`;
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('ok');
      const created = await fetch(`${base}/api/v1/warehouses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'MAIN', name: 'Main warehouse' }),
      });
      expect(created.status).toBe(201);
      const listed = await fetch(`${base}/api/v1/warehouses`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      expect(JSON.stringify(await listed.json())).toContain('"MAIN"');
      expect(existsSync(join(dataDir, 'inventory.sqlite'))).toBe(true);
      expect(existsSync(join(dataDir, 'inventory.sqlite.lock'))).toBe(true);
    } finally {
      host.proc.kill('SIGTERM');
      expect(await host.exit).toBe(0);
    }
    expect(existsSync(join(dataDir, 'inventory.sqlite.lock'))).toBe(false);
  }

  it('starts with the default data folder (./data, not there yet), serves /health and the admin API', async () => {
    await deployAndCheck({}, join(dir, 'data'));
  });

  it('starts with a new nested DATA_DIR', async () => {
    await deployAndCheck({ DATA_DIR: 'var/lib/inventory-sync' }, join(dir, 'var/lib/inventory-sync'));
  });
});
