import request from 'supertest';
import { recordingPlugin } from './fixtures/recording-plugin';
import { inventoryApi } from './support/inventory-api';
import { startHost, TEST_DB, TEST_TOKEN, type TestHost, waitFor } from './support/test-host';

/**
 * The access log: one JSON line per request (method, route, path, status, duration), a request id
 * taken from X-Request-Id or generated, echoed in the response and carried by every line logged
 * while the request is served (here: the parked-order sweep a product's creation sets off), and no
 * secret in any line.
 */
describe(`request logs (real app, ${TEST_DB})`, () => {
  let host: TestHost;
  let inv: ReturnType<typeof inventoryApi>;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  const lines = () => host.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
  const ofRequest = (id: string) => lines().filter((l) => l['reqId'] === id);
  const accessLines = (id: string) => ofRequest(id).filter((l) => l['context'] === 'HTTP' && 'status' in l);

  beforeAll(async () => {
    host = await startHost({ plugins: [recordingPlugin], env: { SYNC_WINDOW_MS: '50', SYNC_TICK_MS: '50' } });
    inv = inventoryApi(host);
  });
  afterAll(() => host?.close());

  it('logs one line per request with its route pattern, status and duration, under the id the caller gave', async () => {
    const w = await inv.warehouse();
    const p = await inv.product();
    const res = await host.api().get(`/api/v1/products/${p.id}/inventory`).set('X-Request-Id', 'client-trace-0001').expect(200);
    expect(res.headers['x-request-id']).toBe('client-trace-0001');
    await waitFor(async () => accessLines('client-trace-0001').length === 1);
    const [line] = accessLines('client-trace-0001');
    expect(line).toMatchObject({
      level: 'info',
      method: 'GET',
      route: '/api/v1/products/:id/inventory',
      path: `/api/v1/products/${p.id}/inventory`,
      status: 200,
      msg: 'GET /api/v1/products/:id/inventory 200',
    });
    expect(typeof line['durationMs']).toBe('number');
    expect(Date.parse(line['time'] as string)).not.toBeNaN();

    // A write, and a request refused by a rule: each its own line, each id generated and echoed.
    const created = await host.api().post('/api/v1/stock-movements').send({ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: 3 }).expect(201);
    const refused = await host.api().post('/api/v1/stock-movements').send({ productId: p.id, warehouseId: w.id, type: 'correction', quantity: -50 }).expect(409);
    for (const [r, status] of [[created, 201], [refused, 409]] as const) {
      const id = r.headers['x-request-id'] as string;
      expect(id).toMatch(UUID);
      await waitFor(async () => accessLines(id).length === 1);
      expect(accessLines(id)[0]).toMatchObject({ method: 'POST', route: '/api/v1/stock-movements', status });
    }
    expect(created.headers['x-request-id']).not.toBe(refused.headers['x-request-id']);
  });

  it('logs requests refused before routing (unknown path, malformed JSON, no token) with a null route', async () => {
    const unknown = await host.api().get('/api/v1/no-such-thing?x=1').set('X-Request-Id', 'unknown-path-1').expect(404);
    expect(unknown.headers['x-request-id']).toBe('unknown-path-1');
    const malformed = await request(host.url).post('/api/v1/warehouses').set('Authorization', `Bearer ${TEST_TOKEN}`).set('Content-Type', 'application/json').set('X-Request-Id', 'bad-json-1').send('{"code":').expect(400);
    expect(malformed.headers['x-request-id']).toBe('bad-json-1');
    await request(host.url).get('/api/v1/warehouses').set('X-Request-Id', 'no-token-1').expect(401);
    await waitFor(async () => ['unknown-path-1', 'bad-json-1', 'no-token-1'].every((id) => accessLines(id).length === 1));
    expect(accessLines('unknown-path-1')[0]).toMatchObject({ method: 'GET', route: null, path: '/api/v1/no-such-thing', status: 404 });
    expect(accessLines('bad-json-1')[0]).toMatchObject({ method: 'POST', path: '/api/v1/warehouses', status: 400 });
    expect(accessLines('no-token-1')[0]).toMatchObject({ route: '/api/v1/warehouses', status: 401 });
  });

  it('documents the header on every operation and response of the OpenAPI document', async () => {
    const doc = (await request(host.url).get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { parameters: { $ref?: string }[]; responses: Record<string, { headers?: Record<string, unknown> }> }>> };
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item));
    expect(ops.length).toBeGreaterThan(30);
    for (const op of ops) {
      expect(op.parameters).toContainEqual({ $ref: '#/components/parameters/RequestId' });
      for (const r of Object.values(op.responses)) expect(r.headers).toHaveProperty('X-Request-Id');
    }
  });

  it('replaces an id that is too long or not plain with a generated one', async () => {
    for (const given of ['x'.repeat(129), 'has space', 'semi;colon', '"quoted"']) {
      const res = await host.api().get('/api/v1/warehouses').set('X-Request-Id', given).expect(200);
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
    expect(lines().some((l) => l['reqId'] === 'has space')).toBe(false);
  });

  it('carries the id on every line logged while the request is served, plugins and host services alike', async () => {
    const w = await inv.warehouse();
    const c = await inv.channel({ account: 'seller-logs', marketplace: 'M1', apiKey: 'secret-api-key-123456', syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id });
    const sku = `LOGGED-${Date.now() % 100000}`;
    await host.api().post('/api/v1/orders').send({ channelId: c.id, externalId: `LOG-1`, lines: [{ sku, quantity: 1 }] }).expect(202);
    // Creating the product commits, and the commit sets off the parked-order sweep in the same request's context.
    await host.api().post('/api/v1/products').set('X-Request-Id', 'create-product-7').send({ sku, name: 'Logged', kind: 'stock' }).expect(201);
    await waitFor(async () => ofRequest('create-product-7').some((l) => /recorded 1 parked order/.test(String(l['msg']))));
    const mine = ofRequest('create-product-7');
    expect(mine.find((l) => /recorded 1 parked order/.test(String(l['msg'])))).toMatchObject({ level: 'info', context: 'Orders' });
    expect(accessLines('create-product-7')).toHaveLength(1);
    // A plugin's line: the recording channel logs its health check.
    await host.api().post(`/api/v1/channels/${c.id}/health-check`).set('X-Request-Id', 'health-check-3').expect(200);
    expect(ofRequest('health-check-3').find((l) => l['msg'] === 'health checked')).toMatchObject({ context: 'plugin:test-recording', channelId: c.id });
    // Lines logged outside any request (the plugins' activation at start) carry no id.
    const started = lines().filter((l) => /Plugin "test-recording" .* activated/.test(String(l['msg'])));
    expect(started).toHaveLength(1);
    expect(started[0]['reqId']).toBeUndefined();
  });

  it('probes are logged at debug; no line holds a secret or a request header', async () => {
    const res = await request(host.url).get('/health').expect(200);
    const id = res.headers['x-request-id'] as string;
    await waitFor(async () => accessLines(id).length === 1);
    expect(accessLines(id)[0]).toMatchObject({ level: 'debug', route: '/health', status: 200 });
    const all = host.logs.join('\n');
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain('secret-api-key-123456');
    expect(all.toLowerCase()).not.toContain('authorization');
    for (const l of lines()) expect(typeof l['level']).toBe('string');
  });
});
