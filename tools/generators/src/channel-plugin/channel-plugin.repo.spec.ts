import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

// Slow (about 90 s): generates a plugin with the real CLI in a copy of this repo and runs what
// `npm test` would run for it, so "green straight after generating" is checked, not hoped for.
// The commands block the test, so its timeouts are generous for a busy CI machine.
const REPO = resolve(__dirname, '../../../..');
const NAME = 'acme-shop';
/** Build output, caches and local data at the top; installed packages and Nx caches anywhere. */
const SKIPPED_AT_TOP = new Set(['dist', 'tmp', 'coverage', 'data', '.git']);
const SKIPPED_ANYWHERE = new Set(['node_modules', '.nx']);
const copied = (src: string) => !SKIPPED_ANYWHERE.has(basename(src)) && !(resolve(src, '..') === REPO && SKIPPED_AT_TOP.has(basename(src)));

/** The environment for a separate Nx run: without the NX_ and JEST_ variables of the Nx/Jest run we are in. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(NX_|JEST_|TS_NODE_)/.test(k)) env[k] = v;
  return { ...env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_SKIP_NX_CACHE: 'true', CI: 'true', FORCE_COLOR: '0' };
}

describe('channel-plugin generator in a copy of the repo', () => {
  let dir: string;

  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: dir, env: childEnv(), encoding: 'utf-8', timeout: 240_000, maxBuffer: 64 * 1024 * 1024 });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` exited ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}:\n${output.slice(-6000)}`);
    return output;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'invsync-generator-'));
    cpSync(REPO, dir, { recursive: true, filter: (src) => src === REPO || copied(src) });
    symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('`nx g @invsync/tools:channel-plugin` resolves the local plugin, creates the lib and registers it', () => {
    const out = run('npx', ['nx', 'g', '@invsync/tools:channel-plugin', `--name=${NAME}`, '--no-interactive']);
    expect(out).toContain(`CREATE libs/channels/${NAME}/src/index.ts`);
    expect(existsSync(join(dir, `libs/channels/${NAME}/project.json`))).toBe(true);
    expect(readFileSync(join(dir, 'apps/inventory-host/src/plugins/built-in-plugins.ts'), 'utf-8')).toMatch(/import \{ acmeShopPlugin \} from '@invsync\/acme-shop';[\s\S]*acmeShopPlugin\]/);
  }, 300_000);

  it("the generated plugin's tests, lint and type-check pass", () => {
    const out = run('npx', ['nx', 'run-many', '-t', 'test', 'lint', 'typecheck', '-p', NAME, '--output-style=stream']);
    expect(out).toMatch(/Tests:\s+7 passed, 7 total/);
    expect(out).toMatch(/Successfully ran targets test, lint, typecheck/);
  }, 300_000);

  it('the host still type-checks and lints with the plugin registered, and accepts its manifest', () => {
    run('npx', ['tsc', '-p', 'apps/inventory-host/tsconfig.json', '--noEmit']);
    run('npx', ['eslint', 'apps/inventory-host/src/plugins/built-in-plugins.ts']);
    const out = run('npx', ['jest', '-c', 'apps/inventory-host/jest.config.cts', 'src/plugins/built-in-plugins.spec.ts']);
    expect(out).toMatch(/Tests:\s+1 passed, 1 total/);
  }, 600_000);
});
