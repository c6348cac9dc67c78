import fc from 'fast-check';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { DataSource } from 'typeorm';
import { inventoryApi } from './support/inventory-api';
import { badBool, badId, badInt, badSku, badString, badText, hugeString, invalidPayload, UNKNOWN_ID, wrongTypes, type Body, type Route } from './support/bad-values';
import { startHost, TEST_TOKEN, type TestHost, waitFor } from './support/test-host';

/**
 * Bad input on the write routes: generated invalid payloads (wrong types, missing and unknown
 * fields, huge strings, control and format characters in identifiers and names, odd Unicode in SKUs, negative, fractional and huge
 * quantities, 41 components, unknown ids), malformed JSON, wrong content types and oversized bodies.
 * Each gets a 4xx with a message (never a 500) and leaves the database exactly as it was.
 * BAD_INPUT_RUNS raises the number of generated payloads per route (default 25).
 */
const RUNS = Number(process.env['BAD_INPUT_RUNS'] ?? 25);

describe('bad input on the write routes', () => {
  let host: TestHost;
  let ds: DataSource;
  let warehouseId: string;
  let productId: string;
  let channelId: string;
  let listingId: string;
  let seq = 0;
  const fresh = (p: string) => `${p}-${++seq}-${Date.now() % 100000}`;

  beforeAll(async () => {
    host = await startHost({ plugins: [amazonMfnPlugin], env: { SCHEDULER: 'off', SYNC_WINDOW_MS: '50', SYNC_TICK_MS: '50' } });
    ds = host.app.get(DataSource);
    const inv = inventoryApi(host);
    warehouseId = (await inv.warehouse('BAD-MAIN')).id;
    productId = (await inv.product('BASE-SKU')).id;
    await inv.product('COMP-SKU');
    await inv.move(productId, warehouseId, 10);
    const ch = await host.api().post('/api/v1/channels').send(channelBody()).expect(201);
    channelId = ch.body.id;
    listingId = (await inv.connect(channelId, 'BASE-SKU', productId)).id;
    await host.api().post('/api/v1/orders').send({ channelId, externalId: 'ORDER-1', lines: [{ sku: 'BASE-SKU', quantity: 1 }] }).expect(201);
    // The dispatcher consumes the stock change signals of this setup in the background: let it, so
    // the snapshots below compare only what the requests under test do.
    await waitFor(async () => Number((await ds.query('SELECT COUNT(*) AS n FROM product_change'))[0].n) === 0);
  });
  afterAll(async () => host?.close());

  function channelBody(): Body {
    return {
      type: 'amazon-mfn',
      name: fresh('Amazon'),
      settings: {
        sellerId: 'A1BADINPUTSELLER',
        region: 'EU',
        marketplaceId: 'A1F83G8C2ARO7P',
        credentials: { clientId: 'amzn1.application-oa2-client.bad', clientSecret: 'cs-bad-input-0123456789', refreshToken: 'Atzr|bad-input-0123456789' },
        // Nothing listens there: sync is off, so nothing is sent.
        spApiEndpoint: 'http://127.0.0.1:9',
        lwaEndpoint: 'http://127.0.0.1:9/auth/o2/token',
        syncInventory: false,
        onHandWarehouseIds: [warehouseId],
        allocationWarehouseId: warehouseId,
      },
    };
  }

  /** Every table's row count, plus the full rows of the tables a bad write could touch. */
  async function snapshot(): Promise<string> {
    const out: Record<string, unknown> = {};
    for (const m of ds.entityMetadatas) {
      const table = m.tablePath;
      out[table] = (await ds.query(`SELECT COUNT(*) AS n FROM ${ds.driver.escape(m.tableName)}`))[0].n;
    }
    // The listing's dispatch columns (dirty, status, ...) belong to the running dispatcher: only what a request sets is compared.
    const columns: Record<string, string> = { listing: 'id, channel_id, product_id, sku, sku_key, overrides, sync_enabled' };
    for (const t of ['stock_level', 'stock_movement', 'channel', 'listing', 'product', 'bundle_component', 'warehouse', 'job_setting', 'sales_order', 'sales_order_line']) {
      const rows = (await ds.query(`SELECT ${columns[t] ?? '*'} FROM ${ds.driver.escape(t)}`)) as Record<string, unknown>[];
      out[`rows:${t}`] = rows.map((r) => JSON.stringify(Object.entries(r).sort())).sort();
    }
    return JSON.stringify(out);
  }

  const send = (method: 'post' | 'patch', path: string, body: unknown) => {
    const req = host.api()[method](path).set('Content-Type', 'application/json');
    // supertest serialises objects itself; primitives and null are sent as raw JSON text.
    return typeof body === 'object' && body !== null ? req.send(body as object) : req.send(JSON.stringify(body));
  };

  function expectRejected(res: { status: number; text: string; body: { message?: unknown } }, what: string) {
    if (res.status < 400 || res.status >= 500) throw new Error(`${what}: answered ${res.status} ${res.text.slice(0, 300)}`);
    const msg = res.body?.message;
    const text = Array.isArray(msg) ? msg.join(' ') : String(msg ?? '');
    if (text.trim().length < 5) throw new Error(`${what}: ${res.status} without a useful message: ${res.text.slice(0, 300)}`);
  }

  const routes = (): Route[] => [
    {
      name: 'POST /warehouses',
      method: 'post',
      path: () => '/api/v1/warehouses',
      valid: () => ({ code: fresh('WH'), name: 'Warehouse' }),
      fields: { code: { required: true, bad: fc.oneof(badText(100, 'WH'), fc.constantFrom('bad-main', ' BAD-MAIN ')) }, name: { required: true, bad: badText(200) } },
    },
    {
      name: 'POST /products',
      method: 'post',
      path: () => '/api/v1/products',
      valid: () => ({ sku: fresh('P'), name: 'Product', kind: 'stock' }),
      fields: {
        sku: { required: true, bad: fc.oneof(badSku, fc.constantFrom('base-sku', ' BASE-SKU\u00a0')) },
        name: { required: true, bad: badText(200) },
        kind: { required: true, bad: fc.oneof(wrongTypes('string'), fc.constantFrom('STOCK', 'bundle ', 'service', '')) },
        components: {
          required: false,
          bad: fc.oneof(
            fc.constant(Array.from({ length: 41 }, (_, i) => ({ sku: i % 2 ? 'COMP-SKU' : 'BASE-SKU', quantity: 1 }))),
            fc.constant([]),
            badInt(1, 10_000).map((q) => [{ sku: 'COMP-SKU', quantity: q }]),
            badSku.map((s) => [{ sku: s, quantity: 1 }]),
            fc.constant([{ sku: 'NO-SUCH-SKU', quantity: 1 }]),
            wrongTypes('array'),
          ),
        },
      },
    },
    {
      name: 'POST /stock-movements',
      method: 'post',
      path: () => '/api/v1/stock-movements',
      valid: () => ({ productId, warehouseId, type: 'goods-in', quantity: 5 }),
      fields: {
        productId: { required: true, bad: badId },
        warehouseId: { required: true, bad: badId },
        type: { required: true, bad: fc.oneof(wrongTypes('string'), fc.constantFrom('GOODS-IN', 'sale', 'adjustment')) },
        quantity: { required: true, bad: fc.oneof(badInt(-1_000_000, 1_000_000), fc.constantFrom(0, -5, -1_000_000)) },
        reason: { required: false, bad: fc.oneof(wrongTypes('string'), hugeString.filter((s) => s.length > 1000)) },
        idempotencyKey: { required: false, bad: fc.oneof(wrongTypes('string'), fc.constant(''), hugeString.filter((s) => s.length > 300)) },
      },
    },
    {
      name: 'POST /stock-movements/batch',
      method: 'post',
      path: () => '/api/v1/stock-movements/batch',
      valid: () => ({ movements: [{ productId, warehouseId, type: 'goods-in', quantity: 2 }] }),
      fields: {
        movements: {
          required: true,
          bad: fc.oneof(
            fc.constant([]),
            wrongTypes('array'),
            // A valid movement before an invalid one: the whole batch is refused, the first not kept.
            fc
              .record({ productId: badId, quantity: badInt(-1_000_000, 1_000_000), type: fc.constantFrom('goods-in', 'bogus') })
              .chain((bad) =>
                fc.constantFrom(
                  { productId: bad.productId, warehouseId, type: 'goods-in', quantity: 1 },
                  { productId, warehouseId, type: 'goods-in', quantity: bad.quantity },
                  { productId, warehouseId, type: 'correction', quantity: -1_000_000 },
                  { productId, warehouseId: UNKNOWN_ID, type: bad.type, quantity: 1 },
                ),
              )
              .map((bad) => [{ productId, warehouseId, type: 'goods-in', quantity: 3 }, bad]),
          ),
        },
        idempotencyKey: { required: false, bad: fc.oneof(wrongTypes('string'), fc.constant('')) },
      },
    },
    {
      name: 'POST /channels',
      method: 'post',
      path: () => '/api/v1/channels',
      valid: channelBody,
      fields: {
        type: { required: true, bad: fc.oneof(badString(100), fc.constantFrom('amazon', 'AMAZON-MFN', 'recording')) },
        name: { required: true, bad: badText(200) },
        settings: {
          required: true,
          bad: fc.oneof(
            wrongTypes('object'),
            fc
              .constantFrom<[string, unknown]>(
                ['reserve', -1],
                ['percentage', 101],
                ['percentage', 1.5],
                ['maxQuantity', 1e20],
                ['syncInventory', 'yes'],
                ['onHandWarehouseIds', [UNKNOWN_ID]],
                ['onHandWarehouseIds', 'BAD-MAIN'],
                ['allocationWarehouseId', UNKNOWN_ID],
                ['marketplaceId', 'NOT-A-MARKETPLACE'],
                ['region', 'MARS'],
                ['credentials', 'plain'],
                ['sellerId', ''],
                ['unknownPluginSetting', 1],
              )
              .map(([k, v]) => ({ ...(channelBody()['settings'] as Body), [k]: v })),
          ),
        },
      },
    },
    {
      name: 'PATCH /channels/:id/settings',
      method: 'patch',
      path: () => `/api/v1/channels/${channelId}/settings`,
      valid: () => ({ reserve: 1 }),
      fields: {
        reserve: { required: false, bad: badInt(0, 1_000_000_000, false).filter((v) => v !== null) },
        percentage: { required: false, bad: badInt(0, 100, false).filter((v) => v !== null) },
        syncInventory: { required: false, bad: badBool(true) },
        onHandWarehouseIds: { required: false, bad: fc.oneof(wrongTypes('array'), fc.constant([UNKNOWN_ID]), fc.constant([])) },
        marketplaceId: { required: false, bad: fc.oneof(wrongTypes('string'), fc.constantFrom('NOPE', 'ATVPDKIKX0DER')) },
      },
    },
    {
      name: 'POST /channels/:id/listings',
      method: 'post',
      path: () => `/api/v1/channels/${channelId}/listings`,
      valid: () => ({ sku: fresh('L'), productId }),
      fields: {
        sku: { required: true, bad: fc.oneof(badSku, fc.constant('base-sku')) },
        productId: { required: true, bad: badId },
        reserve: { required: false, bad: badInt(0, 1_000_000_000, false) },
        percentage: { required: false, bad: badInt(0, 100, false) },
      },
    },
    {
      name: 'PATCH /listings/:id',
      method: 'patch',
      path: () => `/api/v1/listings/${listingId}`,
      valid: () => ({ reserve: 2 }),
      fields: {
        reserve: { required: false, bad: badInt(0, 1_000_000_000, false) },
        maxQuantity: { required: false, bad: badInt(0, 1_000_000_000, false) },
        sku: { required: false, bad: fc.oneof(wrongTypes('string'), fc.constant('OTHER-SKU'), badSku) },
      },
    },
    {
      name: 'POST /orders',
      method: 'post',
      path: () => '/api/v1/orders',
      valid: () => ({ channelId, externalId: fresh('O'), lines: [{ sku: 'BASE-SKU', quantity: 1 }] }),
      fields: {
        channelId: { required: true, bad: badId },
        externalId: { required: true, bad: badText(200, 'O') },
        lines: {
          required: true,
          bad: fc.oneof(
            fc.constant([]),
            wrongTypes('array'),
            badInt(1, 100_000).map((q) => [{ sku: 'BASE-SKU', quantity: q }]),
            badSku.map((s) => [{ sku: s, quantity: 1 }]),
            fc.constant(Array.from({ length: 501 }, () => ({ sku: 'BASE-SKU', quantity: 1 }))),
            fc.constant([{ sku: 'BASE-SKU', quantity: 1, price: 3 }]),
          ),
        },
      },
    },
    {
      name: 'PATCH /jobs/:name',
      method: 'patch',
      path: () => '/api/v1/jobs/host.sync-nightly',
      valid: () => ({ enabled: true }),
      fields: {
        cron: { required: false, bad: fc.oneof(wrongTypes('string'), fc.constantFrom('nope', '* * *', '99 * * * *', '* * * * * * *'), hugeString) },
        enabled: { required: false, bad: badBool() },
      },
    },
    {
      name: 'POST /channels/:id/fba-reconciliations',
      method: 'post',
      path: () => `/api/v1/channels/${channelId}/fba-reconciliations`,
      valid: () => ({ productIds: [productId] }),
      fields: {
        productIds: {
          required: true,
          bad: fc.oneof(fc.constant([]), wrongTypes('array'), fc.constant([productId, productId]), fc.constant(Array.from({ length: 501 }, (_, i) => `id-${i}`)), fc.array(badId, { minLength: 1, maxLength: 3 })),
        },
        allowStale: { required: false, bad: badBool() },
      },
    },
  ];

  for (const name of routes().map((r) => r.name)) {
    it(`${name}: generated invalid payloads get a 4xx with a message and change nothing`, async () => {
      const route = routes().find((r) => r.name === name)!;
      const before = await snapshot();
      await fc.assert(
        fc.asyncProperty(invalidPayload(route), async ({ what, body }) => {
          const res = await send(route.method, route.path(), body);
          expectRejected(res, `${route.name} with ${what}`);
        }),
        { numRuns: RUNS },
      );
      expect(await snapshot()).toBe(before);
    });
  }

  it('identifiers and names with a control or format character get a 400 naming the field', async () => {
    const before = await snapshot();
    const byName = new Map(routes().map((r) => [r.name, r]));
    const cases: [string, string, (v: string) => Body][] = [
      ['POST /warehouses', 'code', (v) => ({ ...byName.get('POST /warehouses')!.valid(), code: v })],
      ['POST /warehouses', 'name', (v) => ({ ...byName.get('POST /warehouses')!.valid(), name: v })],
      ['POST /products', 'sku', (v) => ({ ...byName.get('POST /products')!.valid(), sku: v })],
      ['POST /products', 'name', (v) => ({ ...byName.get('POST /products')!.valid(), name: v })],
      ['POST /channels', 'name', (v) => ({ ...channelBody(), name: v })],
      ['POST /channels/:id/listings', 'sku', (v) => ({ sku: v, productId })],
      ['PATCH /listings/:id', 'sku', (v) => ({ sku: v })],
      ['POST /orders', 'externalId', (v) => ({ channelId, externalId: v, lines: [{ sku: 'BASE-SKU', quantity: 1 }] })],
      ['POST /orders', 'lines.0.sku', (v) => ({ channelId, externalId: fresh('O'), lines: [{ sku: v, quantity: 1 }] })],
    ];
    for (const [name, field, body] of cases) {
      for (const v of ['A\u202eB', 'A\u200dB', 'A\ufeffB', 'A\u200bB', 'A\u0007B']) {
        const route = byName.get(name)!;
        const res = await send(route.method, route.path(), body(v));
        expect({ name, field, v, status: res.status }).toEqual({ name, field, v, status: 400 });
        expect(JSON.stringify(res.body.message)).toMatch(new RegExp(`${field.replace(/\./g, '\\.')} must not contain control or invisible format characters \\(found U\\+[0-9A-F]{4}`));
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('unknown ids in the path get 404, not 500', async () => {
    const before = await snapshot();
    for (const [method, path, body] of [
      ['patch', `/api/v1/channels/${UNKNOWN_ID}/settings`, { reserve: 1 }],
      ['post', `/api/v1/channels/${UNKNOWN_ID}/listings`, { sku: 'X-1', productId }],
      ['patch', `/api/v1/listings/${UNKNOWN_ID}`, { reserve: 1 }],
      ['patch', '/api/v1/jobs/no.such-job', { enabled: false }],
      ['post', `/api/v1/channels/${UNKNOWN_ID}/fba-reconciliations`, { productIds: [productId] }],
      ['post', `/api/v1/orders/${UNKNOWN_ID}/ship`, {}],
      ['post', `/api/v1/orders/${UNKNOWN_ID}/cancel`, {}],
      ['post', `/api/v1/orders/${UNKNOWN_ID}/retry`, {}],
      ['patch', `/api/v1/channels/${'x'.repeat(5000)}/settings`, { reserve: 1 }],
    ] as const) {
      const res = await send(method, path, body);
      expectRejected(res, `${method} ${path.slice(0, 60)}`);
      expect(res.status).toBe(404);
    }
    expect(await snapshot()).toBe(before);
  });

  it('malformed JSON, wrong content types and oversized bodies get a 4xx with a message and change nothing', async () => {
    const before = await snapshot();
    const paths = routes().map((r) => ({ method: r.method, path: r.path() }));
    const raw = (method: 'post' | 'patch', path: string, type: string, text: string | Buffer) => host.api()[method](path).set('Content-Type', type).send(text);
    for (const { method, path } of paths) {
      for (const text of ['{', '{"sku": "A",}', "{'sku': 'A'}", '{"a":1}{"b":2}', 'nul', '\u0000', '{"quantity": 01}', '{"x": NaN}']) {
        expectRejected(await raw(method, path, 'application/json', text), `${method} ${path} with ${JSON.stringify(text)}`);
      }
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml']) {
        expectRejected(await raw(method, path, type, type.includes('urlencoded') ? 'sku=A&quantity=1' : '{"sku":"A","quantity":1}'), `${method} ${path} as ${type}`);
      }
    }
    // > 10 MB: refused before parsing (413), on one route of each kind.
    const big = Buffer.from(JSON.stringify({ sku: 'A', name: 'x'.repeat(11 * 1024 * 1024) }));
    for (const { method, path } of [paths[1], paths[5]]) {
      const res = await raw(method, path, 'application/json', big);
      expectRejected(res, `${method} ${path} with 11 MB`);
      expect(res.status).toBe(413);
    }
    // A wrong token with a bad body is still a 401 (auth before parsing errors leak nothing).
    const anon = await host.anon().post('/api/v1/products').set('Authorization', `Bearer ${TEST_TOKEN}x`).set('Content-Type', 'application/json').send('{');
    expect([400, 401]).toContain(anon.status);
    expect(await snapshot()).toBe(before);
  });
});
