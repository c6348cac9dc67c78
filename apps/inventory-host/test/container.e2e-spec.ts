import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HOST_BUNDLE } from './support/host-process';

/**
 * The container image and the compose file, checked without Docker: the host stage's entry command
 * runs as a process in the image's layout (its WORKDIR holding the built bundle beside production
 * node_modules, its ENV, a fresh data volume), its HEALTHCHECK command decides health, and every
 * variable compose.yaml gives a service is one that service reads.
 */
const ROOT = resolve(__dirname, '../../..');

interface Stage {
  name: string;
  env: Record<string, string>;
  workdir: string;
  user?: string;
  volumes: string[];
  healthcheck?: string[];
  cmd?: string[];
  copies: string[];
}

/** The stages of a Dockerfile with the instructions this test checks (exec-form CMD / HEALTHCHECK). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const arg = rest.join(' ');
    const stage = stages[stages.length - 1];
    switch (op.toUpperCase()) {
      case 'FROM':
        stages.push({ name: /\sAS\s+(\S+)/i.exec(arg)?.[1] ?? String(stages.length), env: {}, workdir: '/', volumes: [], copies: [] });
        break;
      case 'ENV':
        for (const m of arg.matchAll(/(\w+)=("[^"]*"|\S+)/g)) stage.env[m[1]] = m[2].replace(/^"|"$/g, '');
        break;
      case 'WORKDIR':
        stage.workdir = arg;
        break;
      case 'USER':
        stage.user = arg;
        break;
      case 'VOLUME':
        stage.volumes.push(...arg.split(/\s+/));
        break;
      case 'COPY':
        stage.copies.push(arg);
        break;
      case 'CMD':
        stage.cmd = JSON.parse(arg) as string[];
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(arg.slice(arg.indexOf('CMD') + 3).trim()) as string[];
        break;
    }
  }
  return stages;
}

/**
 * The environment variables a config module reads: `env['NAME']`, or (`anyConstant`) every quoted
 * upper-case name in it, for a module that passes names to helpers (`num('PORT')`).
 */
function envNamesRead(file: string, anyConstant = false): Set<string> {
  const pattern = anyConstant ? /'([A-Z][A-Z0-9_]+)'/g : /env\['([A-Z0-9_]+)'\]/g;
  return new Set([...readFileSync(join(ROOT, file), 'utf8').matchAll(pattern)].map((m) => m[1]));
}

function run(cmd: string[], cwd: string, env: Record<string, string>) {
  const proc = spawn(cmd[0] === 'node' ? process.execPath : cmd[0], cmd.slice(1), { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  proc.stdout!.on('data', (b: Buffer) => out.push(b.toString()));
  proc.stderr!.on('data', (b: Buffer) => out.push(b.toString()));
  const exit = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  return { proc, out, exit };
}

describe('container image and compose file', () => {
  const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  const host = stages[stages.length - 1];
  const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
    services: Record<string, { environment?: Record<string, string>; build?: { target?: string }; depends_on?: Record<string, { condition: string }>; volumes?: string[]; ports?: string[] }>;
  };
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'invsync-image-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the host stage is the default target: built bundle, non-root user, a data volume, a health check', () => {
    expect(host.name).toBe('host');
    expect(host.env).toMatchObject({ NODE_ENV: 'production' });
    expect(host.user && host.user !== 'root').toBeTruthy();
    expect(host.volumes).toContain(host.env['DATA_DIR']);
    expect(host.copies.some((c) => c.includes('dist/apps/inventory-host') && c.trim().endsWith('./'))).toBe(true);
    // The admin console's static files, beside the bundle where the host looks for them.
    expect(host.copies.some((c) => c.includes('dist/apps/console') && c.trim().endsWith('./console'))).toBe(true);
    expect(host.cmd).toEqual(['node', 'main.js']);
    expect(host.healthcheck?.[0]).toBe('node');
  });

  it("the entry command serves in the image's layout, and the health check says so", async () => {
    // The image's WORKDIR: the bundle beside production node_modules; its data volume: an empty folder.
    const workdir = join(dir, 'app');
    mkdirSync(workdir);
    cpSync(resolve(HOST_BUNDLE, '..'), workdir, { recursive: true });
    // COPY dist/apps/console ./console (inventory-host:build builds it).
    cpSync(join(ROOT, 'dist/apps/console'), join(workdir, 'console'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(workdir, 'node_modules'), 'dir');
    const env = {
      ...host.env,
      DATA_DIR: join(dir, 'data-volume'),
      PORT: String(30000 + Math.floor(Math.random() * 20000)),
      HOST: '127.0.0.1',
      ADMIN_TOKEN: randomBytes(24).toString('hex'),
      SECRETS_KEY: randomBytes(32).toString('hex'),
    };
    mkdirSync(env.DATA_DIR);
    const app = run(host.cmd!, workdir, env);
    try {
      let healthy = false;
      for (let i = 0; i < 120 && !healthy; i++) {
        await new Promise((r) => setTimeout(r, 500));
        healthy = (await run(host.healthcheck!, workdir, { PORT: env.PORT }).exit) === 0;
      }
      expect({ healthy, output: healthy ? '' : app.out.join('').slice(-2000) }).toEqual({ healthy: true, output: '' });
      const plugins = await fetch(`http://127.0.0.1:${env.PORT}/api/v1/plugins`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
      expect(plugins.status).toBe(200);
      const consolePage = await fetch(`http://127.0.0.1:${env.PORT}/`);
      expect([consolePage.status, consolePage.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
      app.proc.kill('SIGTERM');
      expect(await app.exit).toBe(0);
      expect((await run(host.healthcheck!, workdir, { PORT: env.PORT }).exit) === 0).toBe(false);
    } finally {
      app.proc.kill('SIGKILL');
    }
  });

  it('compose runs PostgreSQL, two hosts on one database and the sandbox, with only variables they read', () => {
    const { services } = compose;
    expect(Object.keys(services).sort()).toEqual(['host-1', 'host-2', 'postgres', 'sandbox']);
    const hostReads = envNamesRead('apps/inventory-host/src/config/host-config.ts');
    const sandboxReads = envNamesRead('apps/amazon-sandbox/src/sandbox-env.ts', true);
    const pg = services['postgres'].environment!;
    for (const name of ['host-1', 'host-2']) {
      const s = services[name];
      expect(s.build?.target).toBe('host');
      for (const key of Object.keys(s.environment!)) expect({ service: name, key, read: hostReads.has(key) }).toEqual({ service: name, key, read: true });
      const url = new URL(s.environment!['DATABASE_URL']);
      expect({ host: url.hostname, user: url.username, password: url.password, db: url.pathname.slice(1) }).toEqual({
        host: 'postgres',
        user: pg['POSTGRES_USER'],
        password: pg['POSTGRES_PASSWORD'],
        db: pg['POSTGRES_DB'],
      });
      expect(s.depends_on?.['postgres']?.condition).toBe('service_healthy');
      expect(s.volumes?.some((v) => v.endsWith(`:${host.env['DATA_DIR']}`))).toBe(true);
    }
    // One database and one secrets key: either instance decrypts what the other stored.
    for (const key of ['DATABASE_URL', 'SECRETS_KEY', 'ADMIN_TOKEN']) expect(services['host-1'].environment![key]).toBe(services['host-2'].environment![key]);
    expect(services['host-1'].ports).not.toEqual(services['host-2'].ports);
    expect(services['sandbox'].build?.target).toBe('sandbox');
    for (const key of Object.keys(services['sandbox'].environment ?? {})) expect({ key, read: sandboxReads.has(key) }).toEqual({ key, read: true });
    const sandboxStage = stages.find((s) => s.name === 'sandbox')!;
    for (const key of Object.keys(sandboxStage.env)) expect({ key, read: sandboxReads.has(key) || key === 'NODE_ENV' }).toEqual({ key, read: true });
  });
});
