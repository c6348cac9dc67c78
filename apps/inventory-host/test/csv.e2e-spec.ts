import { webhookPlugin } from '@invsync/webhook';
import { DataSource } from 'typeorm';
import { startHost, type TestHost } from './support/test-host';

const TABLES = ['product', 'bundle_component', 'stock_level', 'stock_movement', 'listing'];

const PRODUCTS = [
  'sku,name,kind,parentSku,components',
  'GIFT-1,"Gift set, red",bundle,,"TEE-M:1;MUG-1:2"',
  'TEE-M,Tee M,stock,TEE,',
  'TEE,Tee,parent,,',
  'MUG-1,Mug,stock,,',
  'CAP-1,Cap,stock,,',
].join('\n');

describe('CSV in and out (real app)', () => {
  let a: TestHost;
  let b: TestHost;

  const boot = async () => {
    // Nothing is sent anywhere: these tests look at what is stored.
    const host = await startHost({ plugins: [webhookPlugin], env: { SYNC_DISPATCHER: 'off' } });
    const main = (await host.api().post('/api/v1/warehouses').send({ code: 'MAIN', name: 'Main' }).expect(201)).body;
    await host.api().post('/api/v1/warehouses').send({ code: 'SECOND', name: 'Second' }).expect(201);
    const settings = { url: 'http://127.0.0.1:9/never', secret: 'whsec-csv-0123456789abcdef', syncInventory: false, onHandWarehouseIds: [main.id] };
    const channel = (await host.api().post('/api/v1/channels').send({ type: 'webhook', name: 'Shop', settings }).expect(201)).body;
    return { host, main, channel };
  };
  let mainA: { id: string };
  let channelA: { id: string };

  beforeAll(async () => {
    const first = await boot();
    a = first.host;
    mainA = first.main;
    channelA = first.channel;
    b = (await boot()).host;
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const counts = async (host: TestHost) => {
    const ds = host.app.get(DataSource);
    return Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, Number((await ds.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)])));
  };
  const csv = (host: TestHost, path: string, body: string) => host.api().post(`/api/v1/${path}`).set('Content-Type', 'text/csv').send(body);
  const productBySku = async (host: TestHost, sku: string) => (await host.api().get(`/api/v1/products?sku=${encodeURIComponent(sku)}`).expect(200)).body.items[0];
  /** Sends an import that must be refused with `status`, and checks that nothing was written. */
  const refused = async (host: TestHost, path: string, body: string, status: number) => {
    const before = await counts(host);
    const res = await csv(host, path, body).expect(status);
    expect(await counts(host)).toEqual(before);
    return res.body as { message: string | string[]; errors: { row: number; field: string; message: string }[]; errorCount: number };
  };

  it('refuses bodies that are not CSV on the import routes, and CSV elsewhere', async () => {
    await a.api().post('/api/v1/products/import').send({ sku: 'X' }).expect(415);
    await a.api().post('/api/v1/stock-levels/import').expect(415);
    await a.anon().post('/api/v1/products/import').send({ sku: 'X' }).expect(401);
    expect((await refused(a, 'listings/import', '', 400)).message).toEqual(['the body must be CSV text starting with a header row']);
    await a.api().post('/api/v1/products').set('Content-Type', 'text/csv').send('sku,name,kind\nA,a,stock').expect(415);
    const header = await refused(a, 'products/import', 'sku,name,colour\nA,a,red', 400);
    expect(header.errors).toEqual([
      { row: 1, field: 'colour', message: expect.stringMatching(/unknown column "colour"/) },
      { row: 1, field: 'kind', message: 'the header misses column "kind"' },
    ]);
    expect((await refused(a, 'products/import', 'sku,name,kind\n"A,a,stock', 400)).errors[0].message).toMatch(/cannot be read/);
    await a.api().post('/api/v1/products/import?dryRun=maybe').set('Content-Type', 'text/csv').send(PRODUCTS).expect(400);
  });

  it('imports products with variants and bundles; a dry run writes nothing', async () => {
    const before = await counts(a);
    expect((await csv(a, 'products/import?dryRun=true', PRODUCTS).expect(200)).body).toEqual({ dryRun: true, rows: 5, created: 5, unchanged: 0 });
    expect(await counts(a)).toEqual(before);
    expect((await csv(a, 'products/import', PRODUCTS).expect(200)).body).toEqual({ dryRun: false, rows: 5, created: 5, unchanged: 0 });
    const [gift, mug, tee, teeM] = await Promise.all(['GIFT-1', 'MUG-1', 'TEE', 'TEE-M'].map((s) => productBySku(a, s)));
    expect(gift).toMatchObject({ name: 'Gift set, red', kind: 'bundle' });
    expect(gift.components).toEqual(expect.arrayContaining([{ productId: mug.id, quantity: 2 }, { productId: teeM.id, quantity: 1 }]));
    expect(teeM).toMatchObject({ kind: 'stock', parentId: tee.id });
  });

  it('answers every bad row with its row, column and message, and writes nothing', async () => {
    const body = [
      'sku,name,kind,parentSku,components',
      'NEW-1,Fine,stock,,',
      ',No SKU,stock,,',
      'NEW-2,Bad kind,box,,',
      'NEW-3,Bundle of a bundle,bundle,,GIFT-1:1',
      'NEW-4,Variant of a stock product,stock,MUG-1,',
      'NEW-5,Bad quantity,bundle,,MUG-1:x',
      'mug-1,Changed name,stock,,',
    ].join('\n');
    const res = await refused(a, 'products/import', body, 422);
    expect(res.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'sku'],
      [4, 'kind'],
      [5, 'components'],
      [6, 'parentSku'],
      [7, 'components'],
      [8, 'sku'],
    ]);
    expect(res.errorCount).toBe(6);
    expect(await productBySku(a, 'NEW-1')).toBeUndefined();
  });

  it('sets opening stock per warehouse with movements caused by csv-import, all or nothing', async () => {
    const body = 'sku,warehouse,quantity\nMUG-1,MAIN,10\nTEE-M,main,4\nCAP-1,SECOND,3\n';
    const before = await counts(a);
    expect((await csv(a, 'stock-levels/import?dryRun=true', body).expect(200)).body).toMatchObject({ dryRun: true, rows: 3, movements: 3, unchanged: 0, batchIds: [] });
    expect(await counts(a)).toEqual(before);
    expect((await csv(a, 'stock-levels/import', body).expect(200)).body).toMatchObject({ dryRun: false, movements: 3, unchanged: 0 });
    const mug = await productBySku(a, 'MUG-1');
    expect((await a.api().get(`/api/v1/products/${mug.id}/inventory?warehouseIds=${mainA.id}`).expect(200)).body.total).toMatchObject({ inStock: 10, onHand: 10 });
    const moves = (await a.api().get(`/api/v1/stock-movements?productId=${mug.id}`).expect(200)).body.items;
    expect(moves).toEqual([expect.objectContaining({ type: 'goods-in', quantity: 10, causeType: 'csv-import' })]);
    const gift = await productBySku(a, 'GIFT-1');
    expect((await a.api().get(`/api/v1/products/${gift.id}/inventory?warehouseIds=${mainA.id}`).expect(200)).body.total.onHand).toBe(4);
    // A count lower than before is a correction.
    expect((await csv(a, 'stock-levels/import', 'sku,warehouse,quantity\nMUG-1,MAIN,8').expect(200)).body).toMatchObject({ movements: 1 });
    const bad = await refused(a, 'stock-levels/import', 'sku,warehouse,quantity\nMUG-1,MAIN,20\nGIFT-1,MAIN,1\nCAP-1,NOWHERE,1\nCAP-1,MAIN,-2\nNOPE,MAIN,1', 422);
    expect(bad.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'sku'],
      [4, 'warehouse'],
      [5, 'quantity'],
      [6, 'sku'],
    ]);
  });

  it('connects listings by channel name or id, all or nothing', async () => {
    const body = `channel,sku,productSku\nShop,SHOP-MUG,MUG-1\n${channelA.id},SHOP-GIFT,GIFT-1\n`;
    expect((await csv(a, 'listings/import?dryRun=true', body).expect(200)).body).toEqual({ dryRun: true, rows: 2, connected: 2, unchanged: 0 });
    expect((await a.api().get(`/api/v1/channels/${channelA.id}/listings`).expect(200)).body.items).toEqual([]);
    expect((await csv(a, 'listings/import', body).expect(200)).body).toEqual({ dryRun: false, rows: 2, connected: 2, unchanged: 0 });
    const items = (await a.api().get(`/api/v1/channels/${channelA.id}/listings`).expect(200)).body.items as { sku: string; productId: string }[];
    expect(items.map((l) => l.sku).sort()).toEqual(['SHOP-GIFT', 'SHOP-MUG']);
    const bad = await refused(a, 'listings/import', 'channel,sku,productSku\nShop,SHOP-CAP,CAP-1\nNope,SHOP-X,CAP-1\nShop,SHOP-TEE,TEE\nShop,SHOP-MUG,CAP-1', 422);
    expect(bad.errors.map((e) => [e.row, e.field])).toEqual([
      [3, 'channel'],
      [4, 'productSku'],
      [5, 'sku'],
    ]);
  });

  it('exports CSV that imports back unchanged, here and into another host', async () => {
    const exported = async (host: TestHost, what: string) => {
      const res = await host.api().get(`/api/v1/${what}/export`).buffer(true).parse((r, cb) => {
        let data = '';
        r.on('data', (c: Buffer) => (data += c.toString('utf8')));
        r.on('end', () => cb(null, data));
      }).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      return res.body as string;
    };
    const products = await exported(a, 'products');
    expect(products.split('\n')[0]).toBe('sku,name,kind,parentSku,components');
    expect(products).toContain('"Gift set, red"');
    const stock = await exported(a, 'stock-levels');
    const listings = await exported(a, 'listings');
    expect(stock.trim().split('\n').slice(1).sort()).toEqual(['CAP-1,SECOND,3', 'MUG-1,MAIN,8', 'TEE-M,MAIN,4']);
    expect(listings.trim().split('\n').slice(1).sort()).toEqual(['Shop,SHOP-GIFT,GIFT-1', 'Shop,SHOP-MUG,MUG-1']);

    const before = await counts(a);
    expect((await csv(a, 'products/import', products).expect(200)).body).toMatchObject({ created: 0, unchanged: 5 });
    expect((await csv(a, 'stock-levels/import', stock).expect(200)).body).toMatchObject({ movements: 0, unchanged: 3 });
    expect((await csv(a, 'listings/import', listings).expect(200)).body).toMatchObject({ connected: 0, unchanged: 2 });
    expect(await counts(a)).toEqual(before);

    await csv(b, 'products/import', products).expect(200);
    await csv(b, 'stock-levels/import', stock).expect(200);
    await csv(b, 'listings/import', listings).expect(200);
    const lines = (s: string) => s.trim().split('\n').sort();
    expect(lines(await exported(b, 'products'))).toEqual(lines(products));
    expect(lines(await exported(b, 'stock-levels'))).toEqual(lines(stock));
    expect(lines(await exported(b, 'listings'))).toEqual(lines(listings));
  });
});
