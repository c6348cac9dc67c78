import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '../../../..');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

/**
 * A channel plugin written as someone outside this repo writes one: its own package.json (manifest
 * in `inventorySync`, contract range in `engines`), TypeScript importing `@invsync/plugin-api` for
 * types only, compiled with tsc to plain CommonJS. Every quantity it is asked to send is appended
 * as a JSON line to the file named by the channel's `outFile` setting, where the test reads it.
 */
export function writeEchoPlugin(dir: string, opts: { name: string; id: string; engine: string }): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const pkg = {
    name: opts.name,
    version: '0.3.0',
    description: 'Writes the quantities it receives to a file',
    main: 'dist/index.js',
    engines: { 'inventory-sync': opts.engine },
    inventorySync: {
      id: opts.id,
      displayName: 'Echo to file',
      activationEvents: [`onChannelType:${opts.id}`],
      contributes: {
        channelTypes: [
          {
            id: opts.id,
            displayName: 'Echo to file',
            fulfilment: 'merchant',
            capabilities: { pushQuantities: true },
            settingsSchema: { type: 'object', properties: { outFile: { type: 'string', minLength: 1 } }, required: ['outFile'] },
          },
        ],
      },
    },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    // @types/node from this repo stands in for the package's own devDependency.
    JSON.stringify({
      compilerOptions: { module: 'commonjs', target: 'es2022', strict: true, outDir: 'dist', rootDir: 'src', types: ['node'], typeRoots: [join(REPO, 'node_modules/@types')], skipLibCheck: true },
      include: ['src'],
    }),
  );
  writeFileSync(
    join(dir, 'src/index.ts'),
    `import { appendFileSync } from 'node:fs';
import type { PluginContext, QuantityResult } from '@invsync/plugin-api';

interface EchoSettings { outFile: string }

export function activate(context: PluginContext): void {
  context.subscriptions.push(
    context.channelTypes.register<EchoSettings>('${opts.id}', {
      identify: (s) => ({ marketplaceId: 'echo', quantityPool: s.outFile, accountId: 'echo' }),
      createConnector: (channel) => ({
        async pushQuantities(batch): Promise<QuantityResult[]> {
          for (const u of batch.updates) appendFileSync(channel.settings.outFile, JSON.stringify({ sku: u.sku, quantity: u.quantity }) + '\\n');
          return batch.updates.map((u) => ({ updateId: u.updateId, status: 'synced' }));
        },
      }),
    }),
  );
}

export function deactivate(): void {}
`,
  );
}

/** The contract's types as an npm package (tools/scripts/pack-plugin-api.js), installed where `dir` resolves packages. */
export function installPluginApi(nodeModules: string): void {
  run(process.execPath, [join(REPO, 'tools/scripts/pack-plugin-api.js'), join(nodeModules, '@invsync/plugin-api')]);
}

/** Compiles the package with this repo's TypeScript. */
export function buildPackage(dir: string): void {
  run(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')]);
}

/** Copies a built package (package.json and dist) to where a deployment would have it. */
export function copyPackage(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  cpSync(join(from, 'package.json'), join(to, 'package.json'));
  cpSync(join(from, 'dist'), join(to, 'dist'), { recursive: true });
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf-8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`);
}
