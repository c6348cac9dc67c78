import {
  badManifestPlugin,
  fixtureState,
  futureEnginePlugin,
  hostKeyPlugin,
  jobsPlugin,
  lazyPlugin,
  newerContractPlugin,
  throwingPlugin,
  unknownEventPlugin,
} from './fixtures/fixture-plugins';
import { startHost, type TestHost, waitFor } from './support/test-host';

interface PluginView {
  id: string;
  state: string;
  error?: string;
}
interface RunView {
  status: string;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  summary: Record<string, unknown> | null;
}

describe('host: plugin loading, jobs and cross-cutting concerns (real app, SQLite file, HTTP)', () => {
  let host: TestHost;

  beforeAll(async () => {
    fixtureState.reset();
    host = await startHost({
      plugins: [lazyPlugin, badManifestPlugin, futureEnginePlugin, newerContractPlugin, hostKeyPlugin, unknownEventPlugin, throwingPlugin, jobsPlugin],
    });
  });

  afterAll(async () => {
    await host?.close();
  });

  const plugins = async () => (await host.api().get('/api/v1/plugins').expect(200)).body as PluginView[];
  const byId = async (id: string) => (await plugins()).find((p) => p.id === id);

  it('serves /health without a token, with database and plugin states', async () => {
    const res = await host.anon().get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database.status).toBe('up');
    expect(res.body.plugins).toEqual(expect.arrayContaining([{ id: 'fixture-jobs', state: 'active' }]));
  });

  it('refuses the admin API without or with a wrong token', async () => {
    await host.anon().get('/api/v1/plugins').expect(401);
    await host.anon().get('/api/v1/plugins').set('Authorization', 'Bearer wrong-token').expect(401);
    await host.anon().get('/api/v1/jobs').set('Authorization', 'Basic abc').expect(401);
  });

  it('sets security headers and serves the OpenAPI document', async () => {
    const res = await host.anon().get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const doc = await host.anon().get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/plugins', '/api/v1/jobs/{name}/run']));
    await host.anon().get('/docs').expect(200).expect('content-type', /html/);
  });

  it('rejects invalid manifests and unsatisfied engine ranges with reasons, without loading their code', async () => {
    const list = await plugins();
    const bad = list.find((p) => p.id === 'Bad Id!');
    expect(bad?.state).toBe('failed');
    expect(bad?.error).toMatch(/id "Bad Id!" is invalid/);
    expect(bad?.error).toMatch(/version "one" is not a semantic version/);
    const future = list.find((p) => p.id === 'fixture-future');
    expect(future?.state).toBe('failed');
    expect(future?.error).toMatch(/engine range "\^2\.0\.0" is not satisfied by this host's inventory-sync contract 1\./);
    const unknown = list.find((p) => p.id === 'fixture-unknown-event');
    expect(unknown?.error).toMatch(/unknown activation event "onSunrise"/);
    expect([...fixtureState.loaded]).not.toEqual(expect.arrayContaining(['bad']));
    expect(fixtureState.loaded.has('future')).toBe(false);
    expect(fixtureState.loaded.has('unknown-event')).toBe(false);
  });

  it('refuses a plugin that needs a newer contract and one whose settings schema claims a host key, and keeps serving', async () => {
    const newer = await byId('fixture-newer-contract');
    expect(newer?.state).toBe('failed');
    expect(newer?.error).toMatch(/engine range "\^1\.99\.0" is not satisfied .*the plugin needs contract 1\.99\.0 or newer; update the host/);
    const hostKey = await byId('fixture-host-key');
    expect(hostKey?.state).toBe('failed');
    expect(hostKey?.error).toMatch(/channel type "host-key": settings key "reserve" is owned by the host/);
    expect(fixtureState.loaded.has('newer-contract')).toBe(false);
    expect(fixtureState.loaded.has('host-key')).toBe(false);
    const create = await host.api().post('/api/v1/channels').send({ type: 'host-key', name: 'x', settings: { reserve: 1 } }).expect(400);
    expect(JSON.stringify(create.body.message)).toMatch(/not a channel type of any loaded plugin/);
    await host.anon().get('/health').expect(200);
  });

  it('marks a plugin whose activate() throws as failed, disposes what it registered, and keeps serving', async () => {
    const p = await byId('fixture-throws');
    expect(p?.state).toBe('failed');
    expect(p?.error).toMatch(/boom in activate/);
    expect(fixtureState.disposed).toContain('fixture-throws');
    await host.anon().get('/health').expect(200);
  });

  it('activates a plugin lazily, on its first activation event', async () => {
    expect((await byId('fixture-lazy'))?.state).toBe('inactive');
    expect(fixtureState.loaded.has('fixture-lazy')).toBe(false);
    const jobs = (await host.api().get('/api/v1/jobs').expect(200)).body as { name: string; plugin: string; cron: string }[];
    expect(jobs.find((j) => j.name === 'fixture-lazy.ping')).toMatchObject({ plugin: 'fixture-lazy', cron: '0 0 1 1 *' });

    const run = await host.api().post('/api/v1/jobs/fixture-lazy.ping/run').expect(202);
    expect(run.body.runId).toEqual(expect.any(String));
    const runs = await waitFor(async () => {
      const r = (await host.api().get('/api/v1/jobs/fixture-lazy.ping/runs').expect(200)).body.items as RunView[];
      return r.length && r[0].status !== 'running' ? r : undefined;
    });
    expect(runs[0]).toMatchObject({ status: 'succeeded', summary: { pong: true } });
    expect((await byId('fixture-lazy'))?.state).toBe('active');
  });

  it('records a failing job run as failed and runs the job again on its next trigger', async () => {
    const runs = await waitFor(async () => {
      const r = (await host.api().get('/api/v1/jobs/fixture-jobs.flaky/runs?limit=1000').expect(200)).body.items as RunView[];
      return r.some((x) => x.status === 'succeeded') ? r : undefined;
    });
    const oldestFirst = [...runs].reverse();
    expect(oldestFirst[0]).toMatchObject({ status: 'failed', error: 'flaky job failed on purpose' });
    expect(oldestFirst.slice(1).some((r) => r.status === 'succeeded')).toBe(true);
    const job = (await host.api().get('/api/v1/jobs/fixture-jobs.flaky').expect(200)).body;
    expect(job.lastRun.status).toBe('succeeded');
  });

  it('never runs two runs of one job at once, and refuses a manual run while one is in progress', async () => {
    await waitFor(async () => fixtureState.slowRuns.length >= 2, 15_000);
    const runs = (await host.api().get('/api/v1/jobs/fixture-jobs.slow/runs?limit=50').expect(200)).body.items as RunView[];
    const finished = runs.filter((r) => r.finishedAt).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    for (let i = 1; i < finished.length; i++) {
      expect(finished[i].startedAt >= finished[i - 1].finishedAt!).toBe(true);
    }
    const spans = [...fixtureState.slowRuns].sort((a, b) => a.start - b.start);
    for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);

    // A run that began moments ago: over a second of it is left for the refused request.
    await waitFor(async () => fixtureState.slowStartedAt !== null && Date.now() - fixtureState.slowStartedAt < 300, 15_000, 20);
    const running = (await host.api().get('/api/v1/jobs/fixture-jobs.slow').expect(200)).body;
    expect(running.running).toBe(true);
    const conflict = await host.api().post('/api/v1/jobs/fixture-jobs.slow/run').expect(409);
    expect(conflict.body.message).toMatch(/already running/);
  });

  it('validates job updates and persists the override', async () => {
    const bad = await host.api().patch('/api/v1/jobs/fixture-jobs.slow').send({ cron: 'every tuesday' }).expect(400);
    expect(bad.body.message.join(' ')).toMatch(/cron expression "every tuesday" is invalid/);
    const unknown = await host.api().patch('/api/v1/jobs/fixture-jobs.slow').send({ when: 'now' }).expect(400);
    expect(unknown.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/property when should not exist/)]));
    await host.api().patch('/api/v1/jobs/fixture-jobs.slow').send({ enabled: 'yes' }).expect(400);
    await host.api().patch('/api/v1/jobs/no-such.job').send({ enabled: false }).expect(404);

    const off = await host.api().patch('/api/v1/jobs/fixture-jobs.slow').send({ enabled: false, cron: '*/2 * * * * *' }).expect(200);
    expect(off.body).toMatchObject({ enabled: false, cron: '*/2 * * * * *', defaultCron: '* * * * * *', nextRunAt: null });
    await host.api().patch('/api/v1/jobs/fixture-jobs.flaky').send({ enabled: false }).expect(200);
  });

  it('deactivates plugins and disposes their subscriptions on shutdown', async () => {
    await host.close();
    expect(fixtureState.deactivated).toEqual(expect.arrayContaining(['fixture-jobs', 'fixture-lazy']));
    expect(fixtureState.disposed).toEqual(expect.arrayContaining(['fixture-jobs', 'fixture-lazy']));
  });
});
