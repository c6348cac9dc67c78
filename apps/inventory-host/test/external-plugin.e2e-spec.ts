import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVENTORY_SYNC_API_VERSION } from '@invsync/plugin-api';
import { buildPackage, copyPackage, installPluginApi, writeEchoPlugin } from './support/external-plugin-package';
import { type HostProcess, spawnHost } from './support/host-process';
import { createThrowawaySchema, type ThrowawaySchema } from './support/postgres';
import { TEST_DB, TEST_SECRETS_KEY, TEST_TOKEN, waitFor } from './support/test-host';

interface PluginView {
  id: string | null;
  source: string;
  state: string;
  error?: string;
}

/**
 * A plugin the host's code never names, built outside the repo's lib layout and loaded into the
 * deployed bundle (dist/apps/inventory-host/main.js) without rebuilding it: once dropped in
 * PLUGINS_DIR, once installed as an npm package next to the deployment and named in PLUGINS.
 */
describe('external plugins in the built host', () => {
  let dir: string;
  let pkg: string;
  const schemas: ThrowawaySchema[] = [];
  let host: HostProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'invsync-external-'));
    installPluginApi(join(dir, 'node_modules'));
    pkg = join(dir, 'echo-src');
    writeEchoPlugin(pkg, { name: 'invsync-echo', id: 'echo-file', engine: `^${INVENTORY_SYNC_API_VERSION}` });
    buildPackage(pkg);
  }, 120_000);

  afterEach(async () => {
    if (host && host.proc.exitCode === null) {
      host.proc.kill('SIGTERM');
      await host.exit;
    }
    host = undefined;
  });

  afterAll(async () => {
    for (const s of schemas) await s.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(env: Record<string, string>, cwd?: string) {
    // Each start on its own database, as a fresh deployment.
    const data = mkdtempSync(join(dir, 'data-'));
    const schema = TEST_DB === 'postgres' ? await createThrowawaySchema('ext') : undefined;
    if (schema) schemas.push(schema);
    host = spawnHost(
      {
        DATA_DIR: data,
        DATABASE_URL: schema ? schema.url : `sqlite:${join(data, 'inventory.sqlite')}`,
        ADMIN_TOKEN: TEST_TOKEN,
        SECRETS_KEY: TEST_SECRETS_KEY,
        PORT: '0',
        HOST: '127.0.0.1',
        ...env,
      },
      { cwd },
    );
    const base = `http://127.0.0.1:${await host.port}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const json = (await res.json().catch(() => null)) as Record<string, unknown> & { id: string };
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const plugins = async () => (await call('GET', '/api/v1/plugins')) as unknown as PluginView[];
    return { base, call, plugins };
  }

  /** Creates a channel of the plugin's type over REST, connects a listing, books stock; returns what the plugin wrote. */
  async function syncThroughPlugin(call: Awaited<ReturnType<typeof start>>['call'], sku: string): Promise<{ sku: string; quantity: number }[]> {
    const outFile = join(dir, `${sku}.jsonl`);
    const wh = await call('POST', '/api/v1/warehouses', { code: `WH-${sku}`, name: 'Warehouse' });
    const product = await call('POST', '/api/v1/products', { sku, name: 'Product', kind: 'stock' });
    const channel = await call('POST', '/api/v1/channels', { type: 'echo-file', name: 'Echo', settings: { outFile, syncInventory: true, onHandWarehouseIds: [wh.id] } });
    await call('POST', `/api/v1/channels/${channel.id}/listings`, { sku, productId: product.id });
    await call('POST', '/api/v1/stock-movements', { productId: product.id, warehouseId: wh.id, type: 'goods-in', quantity: 7 });
    const read = () => (existsSync(outFile) ? readFileSync(outFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { sku: string; quantity: number }) : []);
    return waitFor(async () => {
      const lines = read();
      return lines.some((l) => l.quantity === 7) ? lines : undefined;
    }, 30_000);
  }

  it('loads a package from PLUGINS_DIR, activates it for a channel of its type and sends it quantities; an invalid one is failed with its reason', async () => {
    const plugins = join(dir, 'plugins');
    copyPackage(pkg, join(plugins, 'invsync-echo'));
    // Built against a contract this host does not have: refused before its code runs.
    copyPackage(pkg, join(plugins, 'echo-future'));
    const future = JSON.parse(readFileSync(join(plugins, 'echo-future/package.json'), 'utf8'));
    writeFileSync(join(plugins, 'echo-future/package.json'), JSON.stringify({ ...future, engines: { 'inventory-sync': '^99.0.0' }, inventorySync: { ...future.inventorySync, id: 'echo-future' } }));
    writeFileSync(join(plugins, 'echo-future/dist/index.js'), `require('node:fs').writeFileSync(${JSON.stringify(join(dir, 'future-ran'))}, 'x');`);
    mkdirSync(join(plugins, 'no-manifest'));
    writeFileSync(join(plugins, 'no-manifest/package.json'), JSON.stringify({ name: 'no-manifest', version: '1.0.0' }));

    const { base, call, plugins: list } = await start({ PLUGINS_DIR: plugins, PLUGINS: 'webhook' });
    const before = await list();
    expect(before.find((p) => p.id === 'echo-file')).toMatchObject({ state: 'inactive', source: `folder:${join(plugins, 'invsync-echo')}` });
    expect(before.find((p) => p.id === 'webhook')).toMatchObject({ source: 'built-in' });
    expect(before.some((p) => p.id === 'amazon-mfn')).toBe(false);
    const refused = before.find((p) => p.id === 'echo-future');
    expect(refused?.state).toBe('failed');
    expect(refused?.error).toMatch(/engine range "\^99\.0\.0" is not satisfied by this host's inventory-sync contract/);
    expect(before.find((p) => p.source.endsWith('no-manifest'))).toMatchObject({ state: 'failed', error: expect.stringMatching(/no "inventorySync" object/) });

    const lines = await syncThroughPlugin(call, 'EXT-DIR-1');
    expect(lines[lines.length - 1]).toEqual({ sku: 'EXT-DIR-1', quantity: 7 });
    expect((await list()).find((p) => p.id === 'echo-file')?.state).toBe('active');
    expect(existsSync(join(dir, 'future-ran'))).toBe(false);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
  });

  it('loads an npm package named in PLUGINS from the deployment folder node_modules, built-ins still selected by id', async () => {
    const deploy = join(dir, 'deploy');
    copyPackage(pkg, join(deploy, 'node_modules/invsync-echo'));
    const { call, plugins: list } = await start({ PLUGINS: 'amazon-mfn,invsync-echo' }, deploy);
    const all = await list();
    expect(all.map((p) => [p.id, p.source])).toEqual([
      ['amazon-mfn', 'built-in'],
      ['echo-file', 'npm:invsync-echo'],
    ]);
    const lines = await syncThroughPlugin(call, 'EXT-NPM-1');
    expect(lines[lines.length - 1]).toEqual({ sku: 'EXT-NPM-1', quantity: 7 });
    expect((await list()).find((p) => p.id === 'echo-file')?.state).toBe('active');
  });

  it('lists a package named in PLUGINS that is not installed as failed, and keeps serving', async () => {
    const { base, plugins: list } = await start({ PLUGINS: 'invsync-not-there' }, dir);
    expect(await list()).toEqual([expect.objectContaining({ id: null, state: 'failed', error: expect.stringMatching(/"invsync-not-there" named in PLUGINS is neither a built-in plugin nor installed/) })]);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
