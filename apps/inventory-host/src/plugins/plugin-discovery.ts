import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { PluginManifest, PluginPackage } from '@invsync/plugin-api';
import type { HostConfig } from '../config/host-config';
import { readExternalPlugin } from './external-plugin-loader';
import type { HostPluginPackage } from './plugin-source';

/**
 * The plugins this host loads, in order: the built-in ones (all, or those PLUGINS names), the npm
 * packages PLUGINS names, then every package in PLUGINS_DIR. Only package.json files are read here;
 * the host validates each manifest before it runs any plugin code.
 */
export function discoverPlugins(
  config: Pick<HostConfig, 'plugins' | 'pluginsRoot' | 'pluginsDir'>,
  builtIns: readonly PluginPackage[],
): HostPluginPackage[] {
  const builtInIds = new Set(builtIns.map((p) => p.manifest.id));
  const wanted = config.plugins;
  const selected: HostPluginPackage[] = builtIns
    .filter((p) => !wanted || wanted.includes(p.manifest.id))
    .map((p) => ({ manifest: p.manifest, load: () => p.load(), source: { kind: 'built-in' } }));
  for (const name of wanted ?? []) {
    if (!builtInIds.has(name)) selected.push(npmPlugin(name, config.pluginsRoot));
  }
  if (config.pluginsDir) selected.push(...folderPlugins(config.pluginsDir));
  return selected;
}

/** An npm package resolved as Node resolves it from `root` (its node_modules, then the parents'). */
function npmPlugin(name: string, root: string): HostPluginPackage {
  const source = { kind: 'npm', name } as const;
  // Looked up by folder rather than require.resolve: a package's "exports" may hide package.json.
  const searched = createRequire(join(root, 'package.json')).resolve.paths(name) ?? [];
  const dir = searched.map((p) => join(p, name)).find((d) => existsSync(join(d, 'package.json')));
  if (!dir) {
    return {
      manifest: undefined as unknown as PluginManifest,
      source: { ...source, path: join(root, 'node_modules', name) },
      problems: [`package "${name}" named in PLUGINS is neither a built-in plugin nor installed under ${root} (npm install it there, or set PLUGINS_ROOT)`],
      load: () => Promise.reject(new Error(`package "${name}" is not installed`)),
    };
  }
  return readExternalPlugin(dir, { ...source, path: dir });
}

/** Every subfolder of PLUGINS_DIR is a package; `@scope` folders hold scoped packages. Hidden folders are skipped. */
function folderPlugins(pluginsDir: string): HostPluginPackage[] {
  const out: HostPluginPackage[] = [];
  const folders = (dir: string) =>
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => (e.isDirectory() || e.isSymbolicLink()) && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  for (const name of folders(pluginsDir)) {
    const dir = join(pluginsDir, name);
    if (name.startsWith('@')) {
      for (const inner of folders(dir)) out.push(readExternalPlugin(join(dir, inner), { kind: 'folder', path: join(dir, inner) }));
    } else {
      out.push(readExternalPlugin(dir, { kind: 'folder', path: dir }));
    }
  }
  return out;
}
