import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseKey } from './host-config';

const KEY = 'a'.repeat(64);
const TOKEN = 'x'.repeat(32);

describe('loadConfig', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'invsync-cfg-'));

  it('uses defaults: port 3000, SQLite file under ./data', () => {
    const cwd = dir();
    const c = loadConfig({ ADMIN_TOKEN: TOKEN, SECRETS_KEY: KEY }, { cwd });
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ type: 'sqlite', path: join(cwd, 'data', 'inventory.sqlite') });
    expect(c.logLevel).toBe('info');
    expect(c.plugins).toBeUndefined();
    expect(c.generatedSecrets).toBe(false);
  });

  it('selects PostgreSQL from a postgres:// URL, with an optional schema', () => {
    const c = loadConfig({ ADMIN_TOKEN: TOKEN, SECRETS_KEY: KEY, DATABASE_URL: 'postgres://u@h:5432/db?schema=s1' }, { cwd: dir() });
    expect(c.database).toEqual({ type: 'postgres', url: 'postgres://u@h:5432/db?schema=s1', schema: 's1' });
  });

  it('lists every bad value at once, each with a clear message', () => {
    let err: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', ADMIN_TOKEN: 'short', SECRETS_KEY: 'nope', PLUGINS: 'ok,Not Ok' }, { cwd: dir() });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const text = err!.problems.join('\n');
    expect(text).toMatch(/PORT must be an integer/);
    expect(text).toMatch(/DATABASE_URL must start with postgres:\/\//);
    expect(text).toMatch(/LOG_LEVEL must be one of/);
    expect(text).toMatch(/ADMIN_TOKEN must be at least 24 characters/);
    expect(text).toMatch(/SECRETS_KEY must be 32 bytes/);
    expect(text).toMatch(/PLUGINS must be a comma-separated list/);
  });

  it('reads PLUGINS as built-in ids and npm package names, PLUGINS_DIR and PLUGINS_ROOT relative to the working folder', () => {
    const cwd = dir();
    mkdirSync(join(cwd, 'plugins'));
    const c = loadConfig({ ADMIN_TOKEN: TOKEN, SECRETS_KEY: KEY, PLUGINS: 'amazon-mfn, @acme/invsync-shop,invsync-plugin-x', PLUGINS_DIR: 'plugins' }, { cwd });
    expect(c.plugins).toEqual(['amazon-mfn', '@acme/invsync-shop', 'invsync-plugin-x']);
    expect(c.pluginsDir).toBe(join(cwd, 'plugins'));
    expect(c.pluginsRoot).toBe(cwd);
    expect(loadConfig({ ADMIN_TOKEN: TOKEN, SECRETS_KEY: KEY, PLUGINS_ROOT: 'plugins' }, { cwd }).pluginsRoot).toBe(join(cwd, 'plugins'));
  });

  it('refuses a PLUGINS_DIR or PLUGINS_ROOT that is not a folder', () => {
    const cwd = dir();
    expect(() => loadConfig({ ADMIN_TOKEN: TOKEN, SECRETS_KEY: KEY, PLUGINS_DIR: 'missing', PLUGINS_ROOT: 'nowhere' }, { cwd })).toThrow(
      /PLUGINS_DIR ".*missing" is not a folder[\s\S]*PLUGINS_ROOT ".*nowhere" is not a folder/,
    );
  });

  it('requires ADMIN_TOKEN and SECRETS_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, { cwd: dir() })).toThrow(/ADMIN_TOKEN is required when NODE_ENV=production/);
  });

  it('generates secrets once on a first run, stores them with mode 0600, and reuses them', () => {
    const cwd = dir();
    const seen: string[] = [];
    const first = loadConfig({}, { cwd, onSecretsGenerated: (t) => seen.push(t) });
    expect(first.generatedSecrets).toBe(true);
    expect(first.adminToken.length).toBeGreaterThanOrEqual(40);
    expect(first.secretsKey).toHaveLength(32);
    expect(seen).toEqual([first.adminToken]);
    const file = join(cwd, 'data', 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).adminToken).toBe(first.adminToken);

    const second = loadConfig({}, { cwd, onSecretsGenerated: (t) => seen.push(t) });
    expect(second.adminToken).toBe(first.adminToken);
    expect(second.secretsKey.equals(first.secretsKey)).toBe(true);
    expect(seen).toHaveLength(1);
  });

  it('reads keys as hex or base64', () => {
    expect(parseKey('0f'.repeat(32))).toHaveLength(32);
    expect(parseKey(Buffer.alloc(32, 7).toString('base64'))).toHaveLength(32);
    expect(parseKey('abc')).toBeUndefined();
  });
});
