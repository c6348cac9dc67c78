import { webhookPlugin } from '@invsync/webhook';
import { join } from 'node:path';
import { createBenchDatabase, type Engine } from './database';
import { BENCH_TOKEN, startBenchHost } from './host';

export interface B6Step {
  ms: number;
  rows: number;
}

export interface B6Result {
  engine: Engine;
  products: number;
  bundles: number;
  importProducts: B6Step & { created: number };
  importStock: B6Step & { movements: number };
  /** Listing mappings for a tenth of the products, on one channel (each connected with the shared-quantity check). */
  importListings: B6Step & { connected: number };
  exportProducts: B6Step & { bytes: number };
  exportStock: B6Step & { bytes: number };
  /** Re-importing the export changes nothing (every row unchanged). */
  roundTripUnchanged: boolean;
}

/** The CSV files of B6: `products` rows, one bundle of two stock products per 100 rows, opening stock for every stock product. */
function files(products: number): { products: string; stock: string; listings: string; bundles: number } {
  const p = ['sku,name,kind,parentSku,components'];
  const s = ['sku,warehouse,quantity'];
  const l = ['channel,sku,productSku'];
  let bundles = 0;
  for (let i = 0; i < products; i++) {
    if (i % 100 === 99) {
      bundles++;
      p.push(`B6-${i},"Bundle ${i}, two parts",bundle,,B6-${i - 1}:1;B6-${i - 2}:2`);
    } else {
      p.push(`B6-${i},Product ${i},stock,,`);
      s.push(`B6-${i},MAIN,${(i % 50) + 1}`);
    }
    if (i % 10 === 0) l.push(`Shop,SHOP-${i},B6-${i}`);
  }
  return { products: p.join('\n') + '\n', stock: s.join('\n') + '\n', listings: l.join('\n') + '\n', bundles };
}

/**
 * B6: one CSV file of `products` rows through `POST /api/v1/products/import`, the opening stock of
 * every stock product through `POST /api/v1/stock-levels/import`, both exports streamed back, and the
 * product export imported again (all unchanged). A fresh host on its own database.
 */
export async function runB6(engine: Engine, dir: string, products: number): Promise<B6Result> {
  const db = await createBenchDatabase(engine, dir, `csv-${engine}`);
  const host = await startBenchHost({ databaseUrl: db.url, dataDir: dir, plugins: [webhookPlugin], logFile: join(dir, `csv-${engine}-host.log`), env: { SYNC_DISPATCHER: 'off' } });
  try {
    const main = (await host.call<{ id: string }>('POST', '/api/v1/warehouses', { code: 'MAIN', name: 'Main' }, 201)).body;
    const settings = { url: 'http://127.0.0.1:9/never', secret: 'whsec-bench-0123456789abcdef', syncInventory: false, onHandWarehouseIds: [main.id] };
    await host.call('POST', '/api/v1/channels', { type: 'webhook', name: 'Shop', settings }, 201);
    const f = files(products);
    const send = async (path: string, body: string) => {
      const t0 = performance.now();
      const res = await fetch(host.url + path, { method: 'POST', headers: { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'text/csv' }, body });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 500)}`);
      return { ms: performance.now() - t0, body: JSON.parse(text) as Record<string, number> };
    };
    const read = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(host.url + path, { headers: { authorization: `Bearer ${BENCH_TOKEN}` } });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return { ms: performance.now() - t0, text, rows: text.trim().split('\n').length - 1 };
    };
    const ip = await send('/api/v1/products/import', f.products);
    const is = await send('/api/v1/stock-levels/import', f.stock);
    const il = await send('/api/v1/listings/import', f.listings);
    const ep = await read('/api/v1/products/export');
    const es = await read('/api/v1/stock-levels/export');
    const again = await send('/api/v1/products/import?dryRun=true', ep.text);
    return {
      engine,
      products,
      bundles: f.bundles,
      importProducts: { ms: ip.ms, rows: products, created: ip.body['created'] },
      importStock: { ms: is.ms, rows: products - f.bundles, movements: is.body['movements'] },
      importListings: { ms: il.ms, rows: f.listings.trim().split('\n').length - 1, connected: il.body['connected'] },
      exportProducts: { ms: ep.ms, rows: ep.rows, bytes: Buffer.byteLength(ep.text) },
      exportStock: { ms: es.ms, rows: es.rows, bytes: Buffer.byteLength(es.text) },
      roundTripUnchanged: again.body['unchanged'] === products && again.body['created'] === 0,
    };
  } finally {
    await host.close();
    await db.drop();
  }
}
