import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { INVENTORY_SYNC_ENGINE, type PluginManifest, type PluginModule } from '@invsync/plugin-api';
import type { HostPluginPackage, PluginSource } from './plugin-source';

/** The package.json field holding an external plugin's manifest (VS Code keeps its own in `contributes`). */
export const MANIFEST_FIELD = 'inventorySync';

/** Manifest members that come from package.json itself, not from the manifest field. */
const FROM_PACKAGE_JSON = ['version', 'engines'] as const;

interface PackageJson {
  name?: unknown;
  version?: unknown;
  description?: unknown;
  main?: unknown;
  engines?: Record<string, unknown>;
  [MANIFEST_FIELD]?: unknown;
}

/**
 * Reads the plugin package in `dir` as data only: its manifest is `package.json`'s
 * `inventorySync` field (id, displayName, activationEvents, contributes) with `version` and
 * `engines["inventory-sync"]` taken from package.json, as VS Code takes `engines.vscode`. The code
 * (`main`) is required only when the host activates the plugin, with Node's own require from the
 * package's folder, so the host bundle never includes it and needs no rebuild.
 */
export function readExternalPlugin(dir: string, source: PluginSource): HostPluginPackage {
  const label = source.kind === 'npm' ? `package "${source.name}"` : `plugin folder "${dir}"`;
  const failed = (problem: string): HostPluginPackage => ({ manifest: undefined as unknown as PluginManifest, source, problems: [problem], load: notLoadable });

  let pkg: PackageJson;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'has no package.json' : `has an unreadable package.json: ${(e as Error).message}`;
    return failed(`${label} ${reason}`);
  }
  const field = pkg[MANIFEST_FIELD];
  if (typeof field !== 'object' || field === null || Array.isArray(field)) {
    return failed(`${label}: package.json has no "${MANIFEST_FIELD}" object, so it is not an inventory-sync plugin`);
  }

  const problems: string[] = [];
  for (const key of FROM_PACKAGE_JSON) {
    if (key in field) problems.push(`${label}: "${MANIFEST_FIELD}.${key}" is not read; set "${key}" in package.json itself`);
  }
  const manifest = {
    description: typeof pkg.description === 'string' ? pkg.description : undefined,
    ...field,
    version: pkg.version,
    engines: { [INVENTORY_SYNC_ENGINE]: pkg.engines?.[INVENTORY_SYNC_ENGINE] },
  } as PluginManifest;

  const req = createRequire(join(dir, 'package.json'));
  let main: string | undefined;
  try {
    main = req.resolve(dir);
  } catch {
    problems.push(`${label}: main file "${typeof pkg.main === 'string' ? pkg.main : 'index.js'}" not found (is the package built?)`);
  }
  return {
    manifest,
    source,
    problems: problems.length ? problems : undefined,
    load: async () => toPluginModule(main ? req(main) : undefined),
  };
}

function notLoadable(): Promise<PluginModule> {
  return Promise.reject(new Error('the plugin package could not be read'));
}

/** A CommonJS main exports activate/deactivate, or a transpiled default export holding them. */
function toPluginModule(exported: unknown): PluginModule {
  const candidates = [exported, (exported as { default?: unknown } | undefined)?.default];
  const mod = candidates.find((c) => typeof (c as PluginModule | undefined)?.activate === 'function') as PluginModule | undefined;
  if (!mod) throw new Error('the main module exports no activate() function');
  return { activate: (ctx) => mod.activate(ctx), deactivate: mod.deactivate ? () => mod.deactivate?.() : undefined };
}
