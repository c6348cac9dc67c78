import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVENTORY_SYNC_API_VERSION, type PluginManifest, type PluginPackage } from '@invsync/plugin-api';
import { discoverPlugins } from './plugin-discovery';
import { validateManifest } from './manifest-validator';
import { describeSource } from './plugin-source';

const channelManifest = (id: string) => ({
  id,
  displayName: `Plugin ${id}`,
  activationEvents: [`onChannelType:${id}`],
  contributes: {
    channelTypes: [{ id, displayName: id, fulfilment: 'merchant', capabilities: { pushQuantities: true }, settingsSchema: { type: 'object' } }],
  },
});

/** Writes a plugin package: package.json with the manifest field, and a CommonJS main. */
function writePackage(dir: string, id: string, extra: Record<string, unknown> = {}, main = 'exports.activate = (ctx) => { globalThis.__activated = ctx.pluginId; };') {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const pkg = { name: id, version: '1.2.3', main: 'dist/index.js', engines: { 'inventory-sync': `^${INVENTORY_SYNC_API_VERSION}` }, inventorySync: channelManifest(id), ...extra };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir, 'dist/index.js'), main);
}

const builtIn = (id: string): PluginPackage => ({ manifest: { ...channelManifest(id), version: '1.0.0', engines: { 'inventory-sync': '^1.0.0' } } as PluginManifest, load: async () => ({ activate: () => undefined }) });

describe('plugin discovery', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'invsync-discovery-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('without PLUGINS or PLUGINS_DIR loads every built-in plugin', () => {
    const found = discoverPlugins({ pluginsRoot: root }, [builtIn('one'), builtIn('two')]);
    expect(found.map((p) => [p.manifest.id, describeSource(p.source)])).toEqual([
      ['one', 'built-in'],
      ['two', 'built-in'],
    ]);
  });

  it('PLUGINS selects built-ins by id and resolves other names as npm packages from PLUGINS_ROOT', async () => {
    writePackage(join(root, 'node_modules/@acme/invsync-shop'), 'acme-shop');
    const found = discoverPlugins({ pluginsRoot: root, plugins: ['two', '@acme/invsync-shop'] }, [builtIn('one'), builtIn('two')]);
    expect(found.map((p) => p.manifest.id)).toEqual(['two', 'acme-shop']);
    const shop = found[1];
    expect(describeSource(shop.source)).toBe('npm:@acme/invsync-shop');
    expect(shop.problems).toBeUndefined();
    expect(shop.manifest).toMatchObject({ id: 'acme-shop', version: '1.2.3', engines: { 'inventory-sync': `^${INVENTORY_SYNC_API_VERSION}` } });
    expect(validateManifest(shop.manifest)).toEqual([]);
    const mod = await shop.load();
    await mod.activate({ pluginId: 'acme-shop' } as never);
    expect((globalThis as { __activated?: string }).__activated).toBe('acme-shop');
  });

  it('finds a package installed in a parent folder, as Node does', () => {
    writePackage(join(root, 'node_modules/invsync-up'), 'up-plugin');
    const below = join(root, 'deploy/bundle');
    mkdirSync(below, { recursive: true });
    const [found] = discoverPlugins({ pluginsRoot: below, plugins: ['invsync-up'] }, []);
    expect(found.manifest.id).toBe('up-plugin');
  });

  it('reads every subfolder of PLUGINS_DIR, scoped folders included, skipping hidden ones', () => {
    const dir = join(root, 'plugins');
    writePackage(join(dir, 'b-plugin'), 'b-plugin');
    writePackage(join(dir, '@scope/a-plugin'), 'a-plugin');
    mkdirSync(join(dir, '.cache'), { recursive: true });
    const found = discoverPlugins({ pluginsRoot: root, pluginsDir: dir }, [builtIn('one')]);
    expect(found.map((p) => [p.manifest.id, describeSource(p.source)])).toEqual([
      ['one', 'built-in'],
      ['a-plugin', `folder:${join(dir, '@scope/a-plugin')}`],
      ['b-plugin', `folder:${join(dir, 'b-plugin')}`],
    ]);
  });

  it('reports a package it cannot use with the reason, without running any of its code', () => {
    const dir = join(root, 'plugins');
    mkdirSync(join(dir, 'empty'), { recursive: true });
    writePackage(join(dir, 'not-a-plugin'), 'x', { inventorySync: undefined });
    writePackage(join(dir, 'unbuilt'), 'unbuilt', { main: 'dist/missing.js' });
    writePackage(join(dir, 'misplaced'), 'misplaced', { inventorySync: { ...channelManifest('misplaced'), version: '9.9.9' } });
    writePackage(join(dir, 'runs-code'), 'runs-code', {}, 'throw new Error("must not run at discovery")');
    const found = discoverPlugins({ pluginsRoot: root, pluginsDir: dir, plugins: ['not-installed'] }, []);
    const problems = Object.fromEntries(found.map((p) => [describeSource(p.source).split('/').pop(), (p.problems ?? []).join('; ')]));
    expect(problems['npm:not-installed']).toMatch(/"not-installed" named in PLUGINS is neither a built-in plugin nor installed under/);
    expect(problems['empty']).toMatch(/has no package.json/);
    expect(problems['not-a-plugin']).toMatch(/package.json has no "inventorySync" object/);
    expect(problems['unbuilt']).toMatch(/main file "dist\/missing.js" not found/);
    expect(problems['misplaced']).toMatch(/"inventorySync.version" is not read; set "version" in package.json itself/);
    expect(problems['runs-code']).toBe('');
  });

  it('leaves the engine range to the manifest validator: a range this host does not satisfy is refused there', () => {
    writePackage(join(root, 'plugins/future'), 'future', { engines: { 'inventory-sync': '^99.0.0' } });
    const [found] = discoverPlugins({ pluginsRoot: root, pluginsDir: join(root, 'plugins') }, []);
    expect(validateManifest(found.manifest)).toEqual([expect.stringMatching(/engine range "\^99.0.0" is not satisfied/)]);
  });
});
