import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnHost as run } from './support/host-process';

/**
 * The deployable bundle, run as an operator runs it: `node dist/apps/inventory-host/main.js`.
 * The test target depends on the build, so the bundle is always the current code.
 */
describe('the built host process', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'invsync-proc-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with no configuration, prints a generated admin token once, serves, and stops cleanly on SIGTERM', async () => {
    const r = run({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
    const port = await r.port;
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');

    const banner = r.stderr.join('');
    const token = /Admin token \(shown once\): (\S+)/.exec(banner)?.[1];
    expect(token).toBeDefined();
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect((await fetch(`${base}/api/v1/plugins`)).status).toBe(401);
    const plugins = await fetch(`${base}/api/v1/plugins`, { headers: { authorization: `Bearer ${token}` } });
    expect(plugins.status).toBe(200);
    expect(r.stdout.join('\n')).not.toContain(token!);

    r.proc.kill('SIGTERM');
    expect(await r.exit).toBe(0);
    expect(r.stdout.join('\n')).toMatch(/Shutting down on SIGTERM/);

    // Second start: the stored token is reused and not printed again.
    const again = run({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
    const port2 = await again.port;
    const ok = await fetch(`http://127.0.0.1:${port2}/api/v1/plugins`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(again.stderr.join('')).not.toMatch(/Admin token/);
    again.proc.kill('SIGTERM');
    expect(await again.exit).toBe(0);
  });

  it('refuses a second host on the same SQLite file, and starts again after the first one is killed', async () => {
    const own = mkdtempSync(join(tmpdir(), 'invsync-lock-'));
    const env = { DATA_DIR: own, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: 'x'.repeat(32), SECRETS_KEY: 'a'.repeat(64) };
    try {
      const first = run(env);
      await first.port;
      const second = run(env);
      expect(await second.exit).toBe(75);
      expect(second.stderr.join('')).toMatch(/Another inventory-sync host \(pid \d+.*\) is using the SQLite database .*use PostgreSQL/);
      first.proc.kill('SIGKILL');
      await first.exit;
      // A crash leaves the lock file behind; its process is gone, so the next start takes it over.
      const third = run(env);
      await third.port;
      third.proc.kill('SIGTERM');
      expect(await third.exit).toBe(0);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('refuses to start on bad configuration, naming every bad value', async () => {
    const r = run({ DATA_DIR: dir, PORT: 'abc', LOG_LEVEL: 'chatty', NODE_ENV: 'production' });
    expect(await r.exit).toBe(78);
    const err = r.stderr.join('');
    expect(err).toMatch(/PORT must be an integer/);
    expect(err).toMatch(/LOG_LEVEL must be one of/);
    expect(err).toMatch(/ADMIN_TOKEN is required when NODE_ENV=production/);
  });
});
