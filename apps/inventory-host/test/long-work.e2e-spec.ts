import { recorder, recordingPlugin } from './fixtures/recording-plugin';
import { inventoryApi } from './support/inventory-api';
import { runAndFollow } from './support/job-runs';
import { startHost, type TestHost, waitFor } from './support/test-host';

/**
 * Work that can take hours (a channel's reconcile reads its quantities back; an import reads its
 * listings) is a job run: the request answers 202 at once with the run and where to follow it.
 */
describe('long work as job runs (real app, SQLite file, recording plugin)', () => {
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  let channelId: string;

  beforeAll(async () => {
    recorder.reset();
    host = await startHost({ plugins: [recordingPlugin], env: { SYNC_WINDOW_MS: '50', SYNC_TICK_MS: '50', SCHEDULER: 'off' } });
    inv = inventoryApi(host);
    const w = await inv.warehouse('MAIN');
    const p = await inv.product('LW-1');
    await inv.move(p.id, w.id, 4);
    channelId = (await inv.channel({ account: 'lw', marketplace: 'M1', apiKey: 'secret-api-key-123456', syncInventory: true, onHandWarehouseIds: [w.id] })).id;
    await inv.connect(channelId, 'LW-1', p.id);
    await waitFor(async () => recorder.lastFor('LW-1') === 4);
  });
  afterAll(() => host?.close());

  it('answers a reconcile with 202 and a Location while it runs, the same run when asked again, and its summary at the end', async () => {
    let open!: () => void;
    recorder.pullGate = new Promise<void>((r) => (open = r));
    const first = await host.api().post(`/api/v1/channels/${channelId}/reconcile`).send({}).expect(202);
    expect(first.body).toMatchObject({ job: `channel.reconcile:${channelId}`, started: true });
    expect(first.headers['location']).toBe(`/api/v1/job-runs/${first.body.runId}`);
    const running = (await host.api().get(first.headers['location']).expect(200)).body;
    expect(running).toMatchObject({ id: first.body.runId, job: `channel.reconcile:${channelId}`, trigger: 'request', status: 'running', summary: null });

    const again = await host.api().post(`/api/v1/channels/${channelId}/reconcile`).send({}).expect(202);
    expect(again.body).toMatchObject({ runId: first.body.runId, started: false });
    // A dry run is other work: it runs beside the real one.
    const dry = await host.api().post(`/api/v1/channels/${channelId}/reconcile`).send({ dryRun: true }).expect(202);
    expect(dry.body.runId).not.toBe(first.body.runId);

    open();
    const done = await waitFor(async () => {
      const run = (await host.api().get(first.headers['location']).expect(200)).body;
      return run.status === 'running' ? undefined : run;
    });
    expect(done).toMatchObject({ status: 'succeeded', error: null, summary: { listings: 1, dryRun: false } });
    expect(done.finishedAt).not.toBeNull();
  });

  it('runs an import the same way; unknown channels, unknown runs and bad bodies are refused at once', async () => {
    const run = await runAndFollow(host, `/api/v1/channels/${channelId}/listings/import`, { dryRun: true });
    expect(run).toMatchObject({ status: 'succeeded', summary: { dryRun: true, alreadyConnected: ['LW-1'] } });
    await host.api().post('/api/v1/channels/nope/reconcile').send({}).expect(404);
    await host.api().post(`/api/v1/channels/${channelId}/reconcile`).send({ dryRun: 'yes' }).expect(400);
    await host.api().get('/api/v1/job-runs/00000000-0000-4000-8000-000000000000').expect(404);
  });
});
