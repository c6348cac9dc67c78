import type { PluginPackage } from '@invsync/plugin-api';

/** Where a plugin came from: compiled into the host, an npm package named in PLUGINS, or a folder in PLUGINS_DIR. */
export type PluginSource = { kind: 'built-in' } | { kind: 'npm'; name: string; path: string } | { kind: 'folder'; path: string };

/**
 * A plugin package as the host loads it. `problems` are found while reading the package (no
 * package.json, no manifest, no main file): such a plugin is listed as failed and never loaded.
 */
export interface HostPluginPackage extends PluginPackage {
  readonly source?: PluginSource;
  readonly problems?: readonly string[];
}

/** How the plugins API shows a source: `built-in`, `npm:<name>` or `folder:<path>`. */
export function describeSource(source: PluginSource | undefined): string {
  if (!source || source.kind === 'built-in') return 'built-in';
  return source.kind === 'npm' ? `npm:${source.name}` : `folder:${source.path}`;
}
