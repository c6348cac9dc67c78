import {
  addProjectConfiguration,
  generateFiles,
  type GeneratorCallback,
  getProjects,
  joinPathFragments,
  logger,
  names,
  offsetFromRoot,
  readJson,
  type Tree,
  updateJson,
} from '@nx/devkit';
import { INVENTORY_SYNC_API_VERSION } from '@invsync/plugin-api';
import { join } from 'node:path';
import { BUILT_IN_PLUGINS_FILE, registerBuiltInPlugin } from './register-plugin';
import { checkStandalone, writeStandalonePackage } from './standalone-package';

export interface ChannelPluginOptions {
  /** Plugin id = channel type id = Nx project name = `@invsync/<name>`. */
  name: string;
  displayName?: string;
  skipRegistration?: boolean;
  /** A publishable npm package outside libs/, loaded by a deployed host from PLUGINS / PLUGINS_DIR. */
  standalone?: boolean;
  /** With --standalone: where the package goes (default `plugins/<name>`). */
  directory?: string;
  /** With --standalone: the npm package name (default `invsync-plugin-<name>`). */
  packageName?: string;
}

/** The host's manifest rule is 2-63 characters; we also require a leading letter so the export name is an identifier. */
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME = 50;
/** `host` names the host's own jobs (`host.sync-nightly`); a plugin with that id would collide. */
const RESERVED = new Set(['host', 'tools', 'plugin-api']);
export const SCOPE = '@invsync';

interface Normalized {
  name: string;
  displayName: string;
  root: string;
  importPath: string;
  exportName: string;
  className: string;
  engineRange: string;
  skipRegistration: boolean;
}

/** Why the name cannot be a plugin id (empty when it can). */
function checkId(name: unknown): string[] {
  if (typeof name !== 'string' || !name) return ['--name is required (e.g. --name=shopify)'];
  const problems: string[] = [];
  if (!NAME.test(name)) problems.push(`--name "${name}" is invalid: use lower-case letters, digits and single dashes, starting with a letter (e.g. shopify, my-shop)`);
  if (name.length < 2 || name.length > MAX_NAME) problems.push(`--name "${name}" must be 2 to ${MAX_NAME} characters long`);
  if (RESERVED.has(name)) problems.push(`--name "${name}" is reserved`);
  return problems;
}

/** Why the name cannot be used for an in-repo plugin lib (empty when it can). */
export function checkName(tree: Tree, name: unknown): string[] {
  const problems = checkId(name);
  if (typeof name !== 'string' || !name) return problems;
  if (getProjects(tree).has(name)) problems.push(`a project named "${name}" exists already`);
  const root = `libs/channels/${name}`;
  if (tree.exists(root) && tree.children(root).length) problems.push(`${root} exists already`);
  const paths = tree.exists('tsconfig.base.json') ? (readJson(tree, 'tsconfig.base.json').compilerOptions?.paths ?? {}) : {};
  if (paths[`${SCOPE}/${name}`]) problems.push(`the import path ${SCOPE}/${name} is taken in tsconfig.base.json (${paths[`${SCOPE}/${name}`]})`);
  return problems;
}

function normalize(tree: Tree, options: ChannelPluginOptions): Normalized {
  const name = typeof options.name === 'string' ? options.name.trim() : options.name;
  const problems = options.standalone ? checkId(name) : checkName(tree, name);
  if (problems.length) throw new Error(`channel-plugin: ${problems.join('; ')}`);
  const n = names(name);
  const [major, minor] = INVENTORY_SYNC_API_VERSION.split('.');
  return {
    name,
    displayName: options.displayName?.trim() || name.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' '),
    root: `libs/channels/${name}`,
    importPath: `${SCOPE}/${name}`,
    exportName: `${n.propertyName}Plugin`,
    className: n.className,
    // Built against this contract: any later minor of the same major is fine (see docs/plugins.md, versioning).
    engineRange: `^${major}.${minor}.0`,
    skipRegistration: !!options.skipRegistration,
  };
}

/**
 * `nx g @invsync/tools:channel-plugin --name=<id>`: creates libs/channels/<id> (manifest, activate /
 * deactivate, settings schema with a secret, a connector whose send is to be written, tests, README,
 * Nx tag `type:plugin`), adds the `@invsync/<id>` import path and registers the plugin with the host,
 * so that `npm test` and `npm run lint` pass straight away.
 */
export async function channelPluginGenerator(tree: Tree, options: ChannelPluginOptions): Promise<GeneratorCallback> {
  const o = normalize(tree, options);
  if (options.standalone) return standaloneGenerator(tree, o, options);
  const offset = offsetFromRoot(o.root);

  generateFiles(tree, join(__dirname, 'files'), o.root, { ...o, offset, tmpl: '' });

  // The same project as tools/scripts/new-project.sh makes.
  addProjectConfiguration(tree, o.name, {
    root: o.root,
    sourceRoot: `${o.root}/src`,
    projectType: 'library',
    tags: ['type:plugin'],
    targets: {
      test: {
        executor: '@nx/jest:jest',
        outputs: ['{workspaceRoot}/coverage/{projectRoot}'],
        options: { jestConfig: `${o.root}/jest.config.cts`, passWithNoTests: false },
      },
      lint: { executor: '@nx/eslint:lint' },
      typecheck: { executor: 'nx:run-commands', options: { command: `tsc -p ${o.root}/tsconfig.json --noEmit` } },
    },
  });

  updateJson(tree, 'tsconfig.base.json', (json) => {
    json.compilerOptions ??= {};
    json.compilerOptions.paths ??= {};
    json.compilerOptions.paths[o.importPath] = [joinPathFragments(o.root, 'src/index.ts')];
    return json;
  });

  if (!o.skipRegistration) {
    if (!tree.exists(BUILT_IN_PLUGINS_FILE)) throw new Error(`channel-plugin: ${BUILT_IN_PLUGINS_FILE} not found; pass --skipRegistration to only create the lib`);
    tree.write(BUILT_IN_PLUGINS_FILE, registerBuiltInPlugin(tree.read(BUILT_IN_PLUGINS_FILE, 'utf-8') ?? '', o.exportName, o.importPath));
  }

  return () => {
    logger.info(`Created ${o.root} (${o.importPath}, export ${o.exportName})${o.skipRegistration ? '' : ` and registered it in ${BUILT_IN_PLUGINS_FILE}`}.`);
    logger.info(`Next: write pushQuantities in ${o.root}/src/lib/activate.ts, shape the settings schema in ${o.root}/src/index.ts, then \`npx nx test ${o.name}\`. Guide: docs/plugins.md`);
  };
}

/** `--standalone`: the package only; the workspace (projects, paths, the host's list) is left alone. */
function standaloneGenerator(tree: Tree, o: Normalized, options: ChannelPluginOptions): GeneratorCallback {
  const directory = (options.directory?.trim() || `plugins/${o.name}`).replace(/\/+$/, '');
  const packageName = options.packageName?.trim() || `invsync-plugin-${o.name}`;
  const problems = checkStandalone(tree, { directory, packageName });
  if (problems.length) throw new Error(`channel-plugin: ${problems.join('; ')}`);
  writeStandalonePackage(tree, { ...o, directory, packageName });
  return () => {
    logger.info(`Created ${directory} (npm package ${packageName}, plugin id ${o.name}), a standalone plugin package.`);
    logger.info(`Next: write pushQuantities in ${directory}/src/index.ts, then \`npm install && npm test\` there. Publishing and loading it: docs/plugins.md`);
  };
}

export default channelPluginGenerator;
