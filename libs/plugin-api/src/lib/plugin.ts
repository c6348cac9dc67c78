import type { PluginContext } from './context';
import type { PluginManifest } from './manifest';

/** The code side of a plugin, loaded only when the plugin is activated. */
export interface PluginModule {
  activate(context: PluginContext): void | Promise<void>;
  deactivate?(): void | Promise<void>;
}

/**
 * What a plugin lib exports: its manifest as data and a loader for its code. The host checks the
 * manifest before it calls `load`, so a rejected plugin never runs.
 */
export interface PluginPackage {
  readonly manifest: PluginManifest;
  load(): Promise<PluginModule>;
}

/** Identity helper that gives a plugin package its type. */
export function definePlugin(pkg: PluginPackage): PluginPackage {
  return pkg;
}
