import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type HostProcess, spawnHost } from './support/host-process';
import { TEST_SECRETS_KEY, TEST_TOKEN, waitFor } from './support/test-host';

interface PluginView {
  id: string | null;
  state: string;
  error?: string;
}

/**
 * Process-level safety in the built host: plugins (fixtures/stray-error-plugins, loaded from
 * PLUGINS_DIR) leave a rejected promise no one handles, an interval that throws, and a job whose
 * timer throws after the run ended. Each is logged as a JSON line with secrets redacted, fails only
 * its plugin (GET /api/v1/plugins shows the error), and the host keeps serving.
 */
describe('stray errors raised by plugins', () => {
  let dir: string;
  let host: HostProcess;
  let base: string;
  const auth = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
  const logLines = () => host.stdout.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : []));
  const plugins = async () => (await (await fetch(`${base}/api/v1/plugins`, { headers: auth })).json()) as PluginView[];
  const plugin = async (id: string) => (await plugins()).find((p) => p.id === id);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'invsync-stray-'));
    host = spawnHost({
      DATA_DIR: dir,
      ADMIN_TOKEN: TEST_TOKEN,
      SECRETS_KEY: TEST_SECRETS_KEY,
      PORT: '0',
      HOST: '127.0.0.1',
      SCHEDULER: 'off',
      PLUGINS: 'webhook',
      PLUGINS_DIR: resolve(__dirname, 'fixtures/stray-error-plugins'),
    });
    base = `http://127.0.0.1:${await host.port}`;
  });
  afterAll(async () => {
    if (host.proc.exitCode === null) {
      host.proc.kill('SIGTERM');
      await host.exit;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unhandled rejection from a plugin fails that plugin, is logged with secrets redacted, and the host serves on', async () => {
    const failed = await waitFor(async () => ((await plugin('stray-rejection'))?.state === 'failed' ? plugin('stray-rejection') : undefined));
    expect(failed!.error).toMatch(/unhandled error in its code .*stray rejection holding \[REDACTED\]/);
    expect(failed!.error).not.toContain(TEST_TOKEN);
    const line = logLines().find((l) => l['event'] === 'unhandledRejection' && l['plugin'] === 'stray-rejection');
    expect(line).toMatchObject({ level: 'error', context: 'Process', err: { message: 'stray rejection holding [REDACTED]' } });
    expect(host.stdout.join('\n')).not.toContain(TEST_TOKEN);
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('an interval that throws fails its plugin once; the failed plugin is disposed, so the interval stops', async () => {
    await waitFor(async () => (await plugin('stray-timer'))?.state === 'failed');
    expect((await plugin('stray-timer'))!.error).toMatch(/stray timer threw on tick 1/);
    // More requests and the other tests' waits give a live interval (100 ms) many chances to throw again.
    for (let i = 0; i < 5; i++) expect((await fetch(`${base}/health`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    const thrown = logLines().filter((l) => l['event'] === 'uncaughtException' && l['plugin'] === 'stray-timer');
    expect(thrown).toHaveLength(1);
  });

  it("a timer left by a plugin's job fails that plugin after the run; other plugins and the admin API are untouched", async () => {
    const run = await fetch(`${base}/api/v1/jobs/stray-job.spark/run`, { method: 'POST', headers: auth });
    expect(run.status).toBe(202);
    await waitFor(async () => (await plugin('stray-job'))?.state === 'failed');
    expect((await plugin('stray-job'))!.error).toMatch(/stray job timer threw after the run ended/);
    const again = await fetch(`${base}/api/v1/jobs/stray-job.spark/run`, { method: 'POST', headers: auth });
    expect(again.status).toBe(202); // the run is recorded as failed: its plugin is failed
    expect((await plugin('webhook'))!.state).not.toBe('failed');
    const created = await fetch(`${base}/api/v1/warehouses`, { method: 'POST', headers: auth, body: JSON.stringify({ code: 'STRAY', name: 'Still serving' }) });
    expect(created.status).toBe(201);
    expect(host.proc.exitCode).toBeNull();
    expect(logLines().filter((l) => l['event'] === 'uncaughtException' && l['plugin'] === 'stray-job')).toHaveLength(1);
  });
});
