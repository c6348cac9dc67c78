import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { INVENTORY_SYNC_API_VERSION } from '@invsync/plugin-api';
import * as semver from 'semver';
import * as ts from 'typescript';
import { channelPluginGenerator } from './channel-plugin.generator';
import { BUILT_IN_PLUGINS_FILE } from './register-plugin';

const REGISTRY = `export const builtInPlugins = [];\n`;

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(BUILT_IN_PLUGINS_FILE, REGISTRY);
  return tree;
}

const changed = (tree: Tree) => Object.fromEntries(tree.listChanges().map((c) => [c.path, c.content?.toString('utf-8')]));

describe('channel-plugin generator --standalone', () => {
  let tree: Tree;
  let before: Record<string, string | undefined>;
  beforeEach(async () => {
    tree = workspace();
    before = changed(tree);
    await channelPluginGenerator(tree, { name: 'acme-shop', standalone: true });
  });

  it('writes a package outside libs/: package.json, tsconfig, source, test, README', () => {
    const files = tree
      .listChanges()
      .map((c) => c.path)
      .filter((p) => !(p in before))
      .sort();
    expect(files).toEqual(['README.md', 'package.json', 'src/index.test.ts', 'src/index.ts', 'tsconfig.json'].map((f) => `plugins/acme-shop/${f}`));
    for (const f of files) expect(tree.read(f, 'utf-8')).not.toMatch(/<%|%>|__tmpl__/);
    for (const f of files.filter((p) => p.endsWith('.ts'))) {
      const file = ts.createSourceFile(f, tree.read(f, 'utf-8')!, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      expect((file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics).toEqual([]);
    }
  });

  it('puts the manifest and the contract range in package.json, VS Code style, with main pointing at the build', () => {
    const pkg = readJson(tree, 'plugins/acme-shop/package.json');
    expect(pkg).toMatchObject({ name: 'invsync-plugin-acme-shop', version: '0.1.0', main: 'dist/index.js' });
    expect(semver.satisfies(INVENTORY_SYNC_API_VERSION, pkg.engines['inventory-sync'])).toBe(true);
    expect(pkg.inventorySync).toMatchObject({
      id: 'acme-shop',
      displayName: 'Acme Shop',
      activationEvents: ['onChannelType:acme-shop'],
      contributes: { channelTypes: [{ id: 'acme-shop', fulfilment: 'merchant', capabilities: { pushQuantities: true } }] },
    });
    expect(pkg.inventorySync.version).toBeUndefined();
    expect(pkg.inventorySync.contributes.channelTypes[0].settingsSchema.properties.apiKey['x-secret']).toBe(true);
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['@invsync/plugin-api', 'typescript']));
    expect(pkg.scripts.test).toMatch(/node --test/);
  });

  it('imports the contract for types only and exports activate/deactivate', () => {
    const index = tree.read('plugins/acme-shop/src/index.ts', 'utf-8')!;
    expect(index).toMatch(/^import type \{[^}]+\} from '@invsync\/plugin-api';$/m);
    expect(index).not.toMatch(/^import \{/m);
    expect(index).toMatch(/export function activate\(context: PluginContext\)/);
    expect(index).toMatch(/export function deactivate\(\)/);
    expect(index).toMatch(/status: 'rejected'[\s\S]*not implemented/);
  });

  it('leaves the workspace alone: no project, no import path, nothing registered with the host', () => {
    expect(tree.read(BUILT_IN_PLUGINS_FILE, 'utf-8')).toBe(REGISTRY);
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions?.paths?.['@invsync/acme-shop']).toBeUndefined();
    expect(tree.exists('plugins/acme-shop/project.json')).toBe(false);
  });

  it('takes --directory and --packageName, and refuses libs/, a folder outside the workspace, a taken folder or a bad package name', async () => {
    await channelPluginGenerator(tree, { name: 'etsy', standalone: true, directory: 'vendor/etsy-plugin', packageName: '@acme/invsync-etsy' });
    expect(readJson(tree, 'vendor/etsy-plugin/package.json').name).toBe('@acme/invsync-etsy');
    await expect(channelPluginGenerator(tree, { name: 'etsy', standalone: true, directory: 'libs/etsy' })).rejects.toThrow(/does not go under libs\//);
    await expect(channelPluginGenerator(tree, { name: 'etsy', standalone: true, directory: '../etsy' })).rejects.toThrow(/must be inside the workspace/);
    await expect(channelPluginGenerator(tree, { name: 'acme-shop', standalone: true })).rejects.toThrow(/plugins\/acme-shop exists already/);
    await expect(channelPluginGenerator(tree, { name: 'ebay', standalone: true, packageName: 'Not Valid' })).rejects.toThrow(/not a valid npm package name/);
    await expect(channelPluginGenerator(tree, { name: 'Bad', standalone: true })).rejects.toThrow(/lower-case/);
  });
});
