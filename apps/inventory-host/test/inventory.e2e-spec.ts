import { DataSource } from 'typeorm';
import { InventoryPort } from '../src/plugins/host-ports';
import { startHost, type TestHost } from './support/test-host';

const TABLES = ['product', 'bundle_component', 'warehouse', 'stock_level', 'stock_movement', 'product_change'];

describe('inventory over HTTP (real app, SQLite file)', () => {
  let host: TestHost;
  let ds: DataSource;
  let main: { id: string; code: string };
  let second: { id: string };

  beforeAll(async () => {
    // The sync dispatcher would consume the change outbox this suite inspects.
    host = await startHost({ env: { SYNC_DISPATCHER: 'off' } });
    ds = host.app.get(DataSource);
    main = (await host.api().post('/api/v1/warehouses').send({ code: 'MAIN', name: 'Main' }).expect(201)).body;
    second = (await host.api().post('/api/v1/warehouses').send({ code: 'second', name: 'Second' }).expect(201)).body;
  });
  afterAll(async () => {
    await host?.close();
  });

  const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)])));
  /** Sends a request that must be refused with `status`, and checks that no table changed. */
  const refused = async (method: 'post' | 'get', path: string, body: unknown, status: number) => {
    const before = await counts();
    const res = await host.api()[method](path).send(body as object).expect(status);
    expect(await counts()).toEqual(before);
    expect(res.body.statusCode).toBe(status);
    return res.body as { statusCode: number; message: string | string[]; error: string; index?: number; rule?: string };
  };
  const text = (m: string | string[]) => (Array.isArray(m) ? m.join(' | ') : m);
  let n = 0;
  const product = async (extra: Record<string, unknown> = {}) =>
    (await host.api().post('/api/v1/products').send({ sku: `SKU-${++n}`, name: `Product ${n}`, kind: 'stock', ...extra }).expect(201)).body;
  const move = (productId: string, quantity: number, type = 'goods-in', warehouseId = main.id) =>
    host.api().post('/api/v1/stock-movements').send({ productId, warehouseId, type, quantity });

  describe('warehouses', () => {
    it('creates, lists and refuses duplicate codes ignoring case', async () => {
      expect(main).toMatchObject({ id: expect.any(String), code: 'MAIN', name: 'Main' });
      const list = (await host.api().get('/api/v1/warehouses').expect(200)).body;
      expect(list.items.map((w: { code: string }) => w.code)).toEqual(['MAIN', 'second']);
      expect(list.nextCursor).toBeNull();
      const page = (await host.api().get('/api/v1/warehouses?limit=1').expect(200)).body;
      expect(page.items).toHaveLength(1);
      const page2 = (await host.api().get(`/api/v1/warehouses?limit=1&cursor=${page.nextCursor}`).expect(200)).body;
      expect(page2.items[0].code).toBe('second');
      const dup = await refused('post', '/api/v1/warehouses', { code: ' main ', name: 'x' }, 409);
      expect(dup.message).toMatch(/warehouse-code-unique: warehouse code "main" is already used/);
      expect(text((await refused('post', '/api/v1/warehouses', { name: 'x' }, 400)).message)).toMatch(/code must be a string/);
      expect(text((await refused('post', '/api/v1/warehouses', { code: 'X', name: 'x', city: 'Paris' }, 400)).message)).toMatch(/property city should not exist/);
      await host.api().get('/api/v1/warehouses/nope').expect(404);
    });
  });

  describe('products', () => {
    it('creates stock products, parents, variants and bundles, and finds them by id and SKU', async () => {
      const mug = await product({ sku: '  Mug-Red ' });
      expect(mug).toMatchObject({ sku: 'Mug-Red', kind: 'stock', parentId: null, components: [] });
      const parent = await product({ kind: 'parent' });
      const variant = await product({ parentId: parent.id });
      expect(variant.parentId).toBe(parent.id);
      const bundle = await product({ kind: 'bundle', components: [{ productId: mug.id, quantity: 2 }, { productId: variant.id, quantity: 1 }] });
      expect(bundle.components).toHaveLength(2);
      expect((await host.api().get(`/api/v1/products/${bundle.id}`).expect(200)).body).toEqual(bundle);
      const bySku = (await host.api().get('/api/v1/products?sku=MUG-RED').expect(200)).body;
      expect(bySku.items.map((p: { id: string }) => p.id)).toEqual([mug.id]);
      expect((await host.api().get(`/api/v1/products?parentId=${parent.id}`).expect(200)).body.items).toHaveLength(1);
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await host.api().get(`/api/v1/products?limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
        all.push(...res.body.items.map((p) => p.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(all).toEqual(expect.arrayContaining([mug.id, parent.id, variant.id, bundle.id]));
      expect(new Set(all).size).toBe(all.length);
      await host.api().get('/api/v1/products/does-not-exist').expect(404);
      await host.api().get('/api/v1/products?limit=0').expect(400);
      await host.api().get('/api/v1/products?cursor=garbage').expect(400);
    });

    it('refuses invalid products with a message naming the field or rule, writing nothing', async () => {
      const s = await product();
      const b = await product({ kind: 'bundle', components: [{ productId: s.id, quantity: 1 }] });
      const bad = (body: Record<string, unknown>, status: number) => refused('post', '/api/v1/products', body, status);
      expect(text((await bad({ sku: 'A', kind: 'stock' }, 400)).message)).toMatch(/name must be a string/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'stock', colour: 'red' }, 400)).message)).toMatch(/property colour should not exist/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'thing' }, 400)).message)).toMatch(/kind must be one of/);
      expect(text((await bad({ sku: 'x'.repeat(41), name: 'a', kind: 'stock' }, 400)).message)).toMatch(/sku must be at most 40 characters/);
      expect(text((await bad({ sku: '   ', name: 'a', kind: 'stock' }, 400)).message)).toMatch(/sku must not be empty/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'bundle', components: [{ productId: s.id, quantity: '2' }] }, 400)).message)).toMatch(/components\.0\.quantity must be an integer/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'bundle', components: [{ productId: s.id, quantity: 1.5 }] }, 400)).message)).toMatch(/components\.0\.quantity must be an integer/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'bundle', components: [{ productId: s.id, quantity: 0 }] }, 400)).message)).toMatch(/components\.0\.quantity must not be less than 1/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'bundle' }, 400)).message)).toMatch(/components must list 1 to 40 products/);
      const many = Array.from({ length: 41 }, (_, i) => ({ productId: `p-${i}`, quantity: 1 }));
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'bundle', components: many }, 400)).message)).toMatch(/components must contain no more than 40 elements/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'bundle', components: [{ productId: s.id, quantity: 1 }, { productId: s.id, quantity: 2 }] }, 400)).message)).toMatch(/components\[1\]\.productId repeats/);
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'bundle', components: [{ productId: 'nope', quantity: 1 }] }, 404)).message)).toMatch(/components: product\(s\) nope do not exist/);
      const nested = await bad({ sku: 'A', name: 'a', kind: 'bundle', components: [{ productId: b.id, quantity: 1 }] }, 409);
      expect(nested.message).toMatch(/^bundle-components: components\[0\].*no bundle in a bundle/);
      expect(nested.error).toBe('Conflict');
      expect(text((await bad({ sku: 'A', name: 'a', kind: 'stock', parentId: 'nope' }, 404)).message)).toMatch(/parentId: product nope does not exist/);
      expect((await bad({ sku: 'A', name: 'a', kind: 'stock', parentId: s.id }, 409)).message).toMatch(/variant-parent/);
      const dup = await bad({ sku: ` ${s.sku.toLowerCase()} `, name: 'a', kind: 'stock' }, 409);
      expect(dup).toMatchObject({ statusCode: 409, error: 'Conflict', rule: 'sku-unique' });
      expect(dup.message).toMatch(/sku-unique: SKU ".*" is already used by product .* ignoring letter case/);
    });
  });

  describe('stock movements', () => {
    it('books goods-in and corrections and answers the movement and the new level', async () => {
      const p = await product();
      const r = await move(p.id, 10).expect(201);
      expect(r.body.movement).toMatchObject({ productId: p.id, warehouseId: main.id, type: 'goods-in', quantity: 10, inStockAfter: 10, causeType: 'user', actor: 'admin-api' });
      expect(r.body.level).toEqual({ productId: p.id, warehouseId: main.id, inStock: 10, allocated: 0, onHand: 10 });
      const c = await host.api().post('/api/v1/stock-movements').send({ productId: p.id, warehouseId: main.id, type: 'correction', quantity: -4, reason: 'broken' }).expect(201);
      expect(c.body.level.inStock).toBe(6);
      expect(c.body.movement.reason).toBe('broken');
      const list = (await host.api().get(`/api/v1/stock-movements?productId=${p.id}`).expect(200)).body;
      expect(list.items.map((m: { quantity: number }) => m.quantity)).toEqual([10, -4]);
      const page = (await host.api().get(`/api/v1/stock-movements?productId=${p.id}&warehouseId=${main.id}&limit=1`).expect(200)).body;
      expect(page.items).toHaveLength(1);
      expect((await host.api().get(`/api/v1/stock-movements?productId=${p.id}&limit=1&cursor=${page.nextCursor}`).expect(200)).body.items[0].quantity).toBe(-4);
      expect((await host.api().get(`/api/v1/stock-movements?warehouseId=${second.id}&productId=${p.id}`).expect(200)).body.items).toEqual([]);
    });

    it('refuses invalid movements (400/404/409) naming the field or rule, writing nothing', async () => {
      const p = await product();
      await move(p.id, 3).expect(201);
      const url = '/api/v1/stock-movements';
      const ok = { productId: p.id, warehouseId: main.id, type: 'goods-in', quantity: 1 };
      const bad = (body: Record<string, unknown>, status: number) => refused('post', url, body, status);
      expect(text((await bad({ warehouseId: main.id, type: 'goods-in', quantity: 1 }, 400)).message)).toMatch(/productId must be a string/);
      expect(text((await bad({ ...ok, colour: 'red' }, 400)).message)).toMatch(/property colour should not exist/);
      expect(text((await bad({ ...ok, quantity: '5' }, 400)).message)).toMatch(/quantity must be an integer number/);
      expect(text((await bad({ ...ok, quantity: 1.5 }, 400)).message)).toMatch(/quantity must be an integer number/);
      expect(text((await bad({ ...ok, quantity: 0 }, 400)).message)).toMatch(/quantity must be greater than 0 for goods-in/);
      expect(text((await bad({ ...ok, quantity: -2 }, 400)).message)).toMatch(/quantity must be greater than 0 for goods-in/);
      expect(text((await bad({ ...ok, type: 'correction', quantity: 0 }, 400)).message)).toMatch(/quantity must not be 0 for a correction/);
      expect(text((await bad({ ...ok, type: 'allocation' }, 400)).message)).toMatch(/type must be one of/);
      expect(text((await bad({ ...ok, productId: 'nope' }, 404)).message)).toMatch(/productId: product nope does not exist/);
      expect(text((await bad({ ...ok, warehouseId: 'nope' }, 404)).message)).toMatch(/warehouseId: warehouse nope does not exist/);
      const neg = await bad({ ...ok, type: 'correction', quantity: -4 }, 409);
      expect(neg).toMatchObject({ error: 'Conflict', rule: 'stock-non-negative' });
      expect(neg.message).toMatch(/^stock-non-negative: correction of -4 would leave in stock -1.*in warehouse MAIN has in stock 3/);
      const bundle = await product({ kind: 'bundle', components: [{ productId: p.id, quantity: 1 }] });
      expect((await bad({ ...ok, productId: bundle.id }, 409)).message).toMatch(/stock-tracked-only: .* is a bundle and holds no stock/);
      await host.anon().post(url).send(ok).expect(401);
      await host.api().post(url).set('Content-Type', 'application/json').send('{"productId": ').expect(400);
    });

    it('answers a repeated idempotency key with the first result (200, Idempotent-Replayed) and refuses a different payload', async () => {
      const p = await product();
      const body = { productId: p.id, warehouseId: main.id, type: 'goods-in', quantity: 7, idempotencyKey: 'delivery-42' };
      const first = await host.api().post('/api/v1/stock-movements').send(body).expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      await move(p.id, 1).expect(201);
      const before = await counts();
      const again = await host.api().post('/api/v1/stock-movements').send(body).expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await counts()).toEqual(before);
      const other = await refused('post', '/api/v1/stock-movements', { ...body, quantity: 8 }, 409);
      expect(other.message).toMatch(/idempotency-key-reuse/);
    });

    it('takes the key from the Idempotency-Key header too; a header and a body key that differ are refused', async () => {
      const p = await product();
      const { idempotencyKey: _key, ...body } = { productId: p.id, warehouseId: main.id, type: 'goods-in', quantity: 3, idempotencyKey: '' };
      const first = await host.api().post('/api/v1/stock-movements').set('Idempotency-Key', 'header-key-1').send(body).expect(201);
      const before = await counts();
      // The same key, once in the header and once in the body: one key, one write.
      const again = await host.api().post('/api/v1/stock-movements').send({ ...body, idempotencyKey: 'header-key-1' }).expect(200);
      expect(again.body).toEqual(first.body);
      const both = await host.api().post('/api/v1/stock-movements').set('Idempotency-Key', 'header-key-1').send({ ...body, idempotencyKey: 'header-key-1' }).expect(200);
      expect(both.headers['idempotent-replayed']).toBe('true');
      const differ = await host.api().post('/api/v1/stock-movements').set('Idempotency-Key', 'header-key-2').send({ ...body, idempotencyKey: 'header-key-1' }).expect(400);
      expect(differ.body.message.join()).toMatch(/Idempotency-Key header and the body's idempotencyKey differ/);
      await host.api().post('/api/v1/stock-movements').set('Idempotency-Key', 'x'.repeat(201)).send(body).expect(400);
      expect(await counts()).toEqual(before);
    });

    it('applies a batch all or nothing, names the failing index, and replays a batch key', async () => {
      const a = await product();
      const b = await product();
      const url = '/api/v1/stock-movements/batch';
      const failing = await refused(
        'post',
        url,
        {
          movements: [
            { productId: a.id, warehouseId: main.id, type: 'goods-in', quantity: 5 },
            { productId: b.id, warehouseId: second.id, type: 'goods-in', quantity: 5 },
            { productId: a.id, warehouseId: main.id, type: 'correction', quantity: -6 },
          ],
        },
        409,
      );
      expect(failing.index).toBe(2);
      expect(failing.message).toMatch(/^stock-non-negative: movements\[2\]: /);
      const unknown = await refused('post', url, { movements: [{ productId: a.id, warehouseId: main.id, type: 'goods-in', quantity: 5 }, { productId: a.id, warehouseId: 'nope', type: 'goods-in', quantity: 5 }] }, 404);
      expect(unknown).toMatchObject({ index: 1 });
      expect(unknown.message).toMatch(/movements\[1\]\.warehouseId/);
      expect(text((await refused('post', url, { movements: [{ productId: a.id, warehouseId: main.id, type: 'goods-in', quantity: 0 }] }, 400)).message)).toMatch(/movements\[0\]\.quantity must be greater than 0/);
      expect(text((await refused('post', url, { movements: [{ productId: a.id, warehouseId: main.id, type: 'goods-in', quantity: 1, extra: 1 }] }, 400)).message)).toMatch(/property extra should not exist/);
      expect(text((await refused('post', url, { movements: [] }, 400)).message)).toMatch(/movements must contain at least 1 elements/);
      const tooMany = Array.from({ length: 10_001 }, () => ({ productId: a.id, warehouseId: main.id, type: 'goods-in', quantity: 1 }));
      expect(text((await refused('post', url, { movements: tooMany }, 400)).message)).toMatch(/movements must contain no more than 10000 elements/);

      const body = {
        idempotencyKey: 'batch-1',
        movements: [
          { productId: a.id, warehouseId: main.id, type: 'goods-in', quantity: 5 },
          { productId: b.id, warehouseId: second.id, type: 'goods-in', quantity: 5 },
          { productId: a.id, warehouseId: main.id, type: 'correction', quantity: -2 },
        ],
      };
      const ok = await host.api().post(url).send(body).expect(201);
      expect(ok.body.movements.map((m: { inStockAfter: number }) => m.inStockAfter)).toEqual([5, 5, 3]);
      expect(ok.body.levels).toEqual([
        { productId: a.id, warehouseId: main.id, inStock: 3, allocated: 0, onHand: 3 },
        { productId: b.id, warehouseId: second.id, inStock: 5, allocated: 0, onHand: 5 },
      ]);
      const again = await host.api().post(url).send(body).expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(ok.body);
      const big = Array.from({ length: 2000 }, (_, i) => ({ productId: i % 2 ? a.id : b.id, warehouseId: main.id, type: 'goods-in', quantity: 1 }));
      const t0 = Date.now();
      await host.api().post(url).send({ movements: big }).expect(201);
      expect(Date.now() - t0).toBeLessThan(10_000);
    });

    it('ends 200 concurrent +1/-1 corrections on one product at the exact expected level', async () => {
      const p = await product();
      await move(p.id, 50).expect(201);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => move(p.id, i % 2 ? -1 : 1, 'correction')));
      expect(results.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
      const inv = (await host.api().get(`/api/v1/products/${p.id}/inventory`).expect(200)).body;
      expect(inv.total).toEqual({ inStock: 50, allocated: 0, onHand: 50 });
      const items = (await host.api().get(`/api/v1/stock-movements?productId=${p.id}&limit=1000`).expect(200)).body.items as { inStockDelta: number; inStockAfter: number }[];
      expect(items).toHaveLength(201);
      expect(items.reduce((s, m) => s + m.inStockDelta, 0)).toBe(50);
      expect(items[items.length - 1].inStockAfter).toBe(50);
    });
  });

  describe('inventory and availability', () => {
    it('answers per-warehouse levels for stock products and the bundle rule for bundles', async () => {
      const a = await product();
      const b = await product();
      const x = await product({ kind: 'bundle', components: [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 2 }] });
      // domain.md: A 5 and B 7 in total, split so each warehouse can make one -> 2, not 3
      await host
        .api()
        .post('/api/v1/stock-movements/batch')
        .send({
          movements: [
            { productId: a.id, warehouseId: main.id, type: 'goods-in', quantity: 4 },
            { productId: b.id, warehouseId: main.id, type: 'goods-in', quantity: 3 },
            { productId: a.id, warehouseId: second.id, type: 'goods-in', quantity: 1 },
            { productId: b.id, warehouseId: second.id, type: 'goods-in', quantity: 4 },
          ],
        })
        .expect(201);
      const invA = (await host.api().get(`/api/v1/products/${a.id}/inventory`).expect(200)).body;
      expect(invA).toEqual({
        productId: a.id,
        kind: 'stock',
        warehouses: [
          { warehouseId: main.id, code: 'MAIN', inStock: 4, allocated: 0, onHand: 4 },
          { warehouseId: second.id, code: 'second', inStock: 1, allocated: 0, onHand: 1 },
        ],
        total: { inStock: 5, allocated: 0, onHand: 5 },
      });
      const invX = (await host.api().get(`/api/v1/products/${x.id}/inventory`).expect(200)).body;
      expect(invX.total).toEqual({ inStock: 0, allocated: 0, onHand: 2 });
      expect(invX.warehouses.map((w: { onHand: number; inStock: number }) => [w.onHand, w.inStock])).toEqual([
        [1, 0],
        [1, 0],
      ]);
      expect(invX.warehouses[0].components).toEqual(expect.arrayContaining([{ productId: b.id, quantity: 2, onHand: 3, canMake: 1 }]));
      const onlyMain = (await host.api().get(`/api/v1/products/${x.id}/inventory?warehouseIds=${main.id}`).expect(200)).body;
      expect(onlyMain.total.onHand).toBe(1);
      await host.api().get('/api/v1/products/nope/inventory').expect(404);

      // the port plugins read through
      const port = host.app.get(InventoryPort);
      const onHand = await port.onHand({ productIds: [a.id, x.id, 'unknown'], warehouseIds: [main.id, second.id] });
      expect(Object.fromEntries(onHand)).toEqual({ [a.id]: 5, [x.id]: 2, unknown: 0 });
      const found = await port.findProductsBySku([` ${x.sku.toLowerCase()}`, 'NO-SUCH-SKU']);
      expect(found.get(` ${x.sku.toLowerCase()}`)).toEqual({ productId: x.id, kind: 'bundle' });
      expect(found.has('NO-SUCH-SKU')).toBe(false);
    });

    it('records changed products and the bundles containing them in the outbox', async () => {
      const a = await product();
      const x = await product({ kind: 'bundle', components: [{ productId: a.id, quantity: 1 }] });
      await ds.query('DELETE FROM product_change');
      await move(a.id, 1).expect(201);
      const rows = (await ds.query('SELECT product_id FROM product_change')) as { product_id: string }[];
      expect(rows.map((r) => r.product_id).sort()).toEqual([a.id, x.id].sort());
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await host.anon().get('/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/warehouses',
        '/api/v1/products',
        '/api/v1/products/{id}',
        '/api/v1/products/{id}/inventory',
        '/api/v1/stock-movements',
        '/api/v1/stock-movements/batch',
      ]),
    );
    expect(JSON.stringify(doc.paths['/api/v1/products'].post)).toMatch(/1 to 40 characters/);
  });
});
