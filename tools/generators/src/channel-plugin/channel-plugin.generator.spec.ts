import { getProjects, readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { INVENTORY_SYNC_API_VERSION } from '@invsync/plugin-api';
import * as semver from 'semver';
import * as ts from 'typescript';
import { channelPluginGenerator } from './channel-plugin.generator';
import { BUILT_IN_PLUGINS_FILE, registerBuiltInPlugin } from './register-plugin';

// The file as the host ships it before any plugin is registered.
const EMPTY_REGISTRY = `import type { PluginPackage } from '@invsync/plugin-api';

/**
 * The plugins shipped with the host.
 */
export const builtInPlugins: readonly PluginPackage[] = [];
`;

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  tree.write(BUILT_IN_PLUGINS_FILE, EMPTY_REGISTRY);
  return tree;
}

/** Every file of the tree with its content. */
const contents = (tree: Tree) => Object.fromEntries(tree.listChanges().map((c) => [c.path, c.content?.toString('utf-8')]));

/** Syntax errors of a generated TypeScript file (types are checked by the repo test). */
function syntaxErrors(tree: Tree, path: string): string[] {
  const file = ts.createSourceFile(path, tree.read(path, 'utf-8')!, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('channel-plugin generator on an empty workspace', () => {
  let tree: Tree;
  beforeEach(async () => {
    tree = workspace();
    await channelPluginGenerator(tree, { name: 'shopify' });
  });

  it('creates the plugin lib: manifest, activate/deactivate, tests, configs, README', () => {
    const root = 'libs/channels/shopify';
    const files = tree
      .listChanges()
      .map((c) => c.path)
      .filter((p) => p.startsWith(root))
      .sort();
    expect(files).toEqual(
      [
        'README.md',
        'jest.config.cts',
        'project.json',
        'src/index.spec.ts',
        'src/index.ts',
        'src/lib/activate.spec.ts',
        'src/lib/activate.ts',
        'tsconfig.json',
        'tsconfig.spec.json',
      ].map((f) => `${root}/${f}`),
    );
    for (const f of files) expect(tree.read(f, 'utf-8')).not.toMatch(/<%|%>|__tmpl__/);
    for (const f of files.filter((p) => p.endsWith('.ts'))) expect(syntaxErrors(tree, f)).toEqual([]);

    const index = tree.read(`${root}/src/index.ts`, 'utf-8')!;
    expect(index).toContain('export const shopifyPlugin = definePlugin(');
    expect(index).toContain("id: 'shopify'");
    expect(index).toContain("activationEvents: ['onChannelType:shopify']");
    expect(index).toContain("fulfilment: 'merchant'");
    expect(index).toContain("'x-secret': true");
    const range = /'inventory-sync': '([^']+)'/.exec(index)![1];
    expect(semver.satisfies(INVENTORY_SYNC_API_VERSION, range)).toBe(true);

    const activate = tree.read(`${root}/src/lib/activate.ts`, 'utf-8')!;
    expect(activate).toMatch(/export function activate\(context: PluginContext\)/);
    expect(activate).toMatch(/export function deactivate\(\)/);
    expect(activate).toContain("register<ShopifySettings>('shopify'");
    expect(activate).toMatch(/status: 'rejected'[\s\S]*not implemented/);
    expect(activate).not.toMatch(/status: 'synced'/);

    expect(tree.read(`${root}/jest.config.cts`, 'utf-8')).toContain("preset: '../../../jest.preset.js'");
    expect(readJson(tree, `${root}/tsconfig.json`).extends).toBe('../../../tsconfig.base.json');
  });

  it('adds the Nx project with the plugin tag and the test, lint and typecheck targets', () => {
    const project = readProjectConfiguration(tree, 'shopify');
    expect(project).toMatchObject({ root: 'libs/channels/shopify', sourceRoot: 'libs/channels/shopify/src', projectType: 'library', tags: ['type:plugin'] });
    expect(project.targets!['test']).toMatchObject({ executor: '@nx/jest:jest', options: { jestConfig: 'libs/channels/shopify/jest.config.cts', passWithNoTests: false } });
    expect(project.targets!['lint']).toEqual({ executor: '@nx/eslint:lint' });
    expect(project.targets!['typecheck'].options.command).toBe('tsc -p libs/channels/shopify/tsconfig.json --noEmit');
  });

  it('adds the @invsync/<name> import path and registers the plugin with the host', () => {
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths['@invsync/shopify']).toEqual(['libs/channels/shopify/src/index.ts']);
    const registry = tree.read(BUILT_IN_PLUGINS_FILE, 'utf-8')!;
    expect(registry).toContain("import { shopifyPlugin } from '@invsync/shopify';");
    expect(registry).toContain('export const builtInPlugins: readonly PluginPackage[] = [shopifyPlugin];');
    expect(syntaxErrors(tree, BUILT_IN_PLUGINS_FILE)).toEqual([]);
  });

  it('a second plugin with a dashed name gets a camel-case export, a title-case name, and joins the list', async () => {
    await channelPluginGenerator(tree, { name: 'my-shop' });
    const registry = tree.read(BUILT_IN_PLUGINS_FILE, 'utf-8')!;
    expect(registry).toContain("import { shopifyPlugin } from '@invsync/shopify';\nimport { myShopPlugin } from '@invsync/my-shop';");
    expect(registry).toContain('= [shopifyPlugin, myShopPlugin];');
    const index = tree.read('libs/channels/my-shop/src/index.ts', 'utf-8')!;
    expect(index).toContain('export const myShopPlugin = ');
    expect(index).toContain("displayName: 'My Shop'");
    expect(tree.read('libs/channels/my-shop/src/lib/activate.ts', 'utf-8')).toContain('export interface MyShopSettings');
  });

  it('--skipRegistration leaves the host alone; --displayName is used', async () => {
    const before = tree.read(BUILT_IN_PLUGINS_FILE, 'utf-8');
    await channelPluginGenerator(tree, { name: 'etsy', displayName: 'Etsy shop', skipRegistration: true });
    expect(tree.read(BUILT_IN_PLUGINS_FILE, 'utf-8')).toBe(before);
    expect(tree.read('libs/channels/etsy/src/index.ts', 'utf-8')).toContain("displayName: 'Etsy shop'");
  });
});

describe('channel-plugin generator refuses bad names and writes nothing', () => {
  it.each([
    ['Shopify', /lower-case/],
    ['1shop', /starting with a letter/],
    ['shop_ify', /lower-case/],
    ['shop--ify', /single dashes/],
    ['shop-', /single dashes/],
    ['s', /2 to 50 characters/],
    ['x'.repeat(51), /2 to 50 characters/],
    ['host', /reserved/],
    ['', /--name is required/],
  ])('%j', async (name, reason) => {
    const tree = workspace();
    const before = contents(tree);
    await expect(channelPluginGenerator(tree, { name })).rejects.toThrow(reason);
    expect(contents(tree)).toEqual(before);
  });

  it('an existing project, folder or import path', async () => {
    const tree = workspace();
    await channelPluginGenerator(tree, { name: 'shopify' });
    await expect(channelPluginGenerator(tree, { name: 'shopify' })).rejects.toThrow(/a project named "shopify" exists already/);

    tree.write('libs/channels/ebay/src/index.ts', 'export {};\n');
    await expect(channelPluginGenerator(tree, { name: 'ebay' })).rejects.toThrow(/libs\/channels\/ebay exists already/);

    // Aliases reserved by plugins still being written (as @invsync/amazon-mfn is) are taken too.
    const base = readJson(tree, 'tsconfig.base.json');
    base.compilerOptions.paths['@invsync/amazon-mfn'] = ['libs/channels/amazon-mfn/src/index.ts'];
    tree.write('tsconfig.base.json', JSON.stringify(base));
    const before = contents(tree);
    await expect(channelPluginGenerator(tree, { name: 'amazon-mfn' })).rejects.toThrow(/import path @invsync\/amazon-mfn is taken/);
    expect(contents(tree)).toEqual(before);
    expect([...getProjects(tree).keys()]).toEqual(['shopify']);
  });

  it('a workspace without the host registry, unless --skipRegistration', async () => {
    const tree = createTreeWithEmptyWorkspace();
    await expect(channelPluginGenerator(tree, { name: 'shopify' })).rejects.toThrow(/built-in-plugins.ts not found/);
    await channelPluginGenerator(createTreeWithEmptyWorkspace(), { name: 'shopify', skipRegistration: true });
  });
});

describe('registerBuiltInPlugin', () => {
  it('keeps a multi-line list one entry per line (trailing comma or not) and is idempotent', () => {
    const multi = `import type { PluginPackage } from '@invsync/plugin-api';
import { aPlugin } from '@invsync/a';
import { bPlugin } from '@invsync/b';

export const builtInPlugins: readonly PluginPackage[] = [
  aPlugin,
  bPlugin,
];
`;
    const out = registerBuiltInPlugin(multi, 'cPlugin', '@invsync/c');
    expect(out).toBe(`import type { PluginPackage } from '@invsync/plugin-api';
import { aPlugin } from '@invsync/a';
import { bPlugin } from '@invsync/b';
import { cPlugin } from '@invsync/c';

export const builtInPlugins: readonly PluginPackage[] = [
  aPlugin,
  bPlugin,
  cPlugin,
];
`);
    expect(registerBuiltInPlugin(out, 'cPlugin', '@invsync/c')).toBe(out);
    expect(registerBuiltInPlugin(multi.replace('bPlugin,\n]', 'bPlugin\n]'), 'cPlugin', '@invsync/c')).toContain('  bPlugin,\n  cPlugin\n]');
  });

  it('handles `as const`, and refuses a half registration or a missing list', () => {
    expect(registerBuiltInPlugin(`export const builtInPlugins = [aPlugin] as const;\n`, 'cPlugin', '@invsync/c')).toBe(
      `import { cPlugin } from '@invsync/c';\nexport const builtInPlugins = [aPlugin, cPlugin] as const;\n`,
    );
    expect(() => registerBuiltInPlugin(`import { cPlugin } from '@invsync/c';\nexport const builtInPlugins = [];\n`, 'cPlugin', '@invsync/c')).toThrow(
      /imported but not listed/,
    );
    expect(() => registerBuiltInPlugin(`export const plugins = [];\n`, 'cPlugin', '@invsync/c')).toThrow(/no "export const builtInPlugins/);
  });
});
