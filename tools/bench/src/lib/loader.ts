import { skuKey } from '@invsync/domain-catalog';
import type { DataSource } from 'typeorm';
import type { Dataset } from './dataset';

type ColumnType = 'text' | 'int' | 'bool';

export interface TableRows {
  table: string;
  columns: [string, ColumnType][];
  rows: Iterable<unknown[]>;
}

/** The listing columns every bench seed writes, in this order (each seed appends its own after them). */
export const LISTING_BASE_COLUMNS: [string, ColumnType][] = [
  ['id', 'text'],
  ['channel_id', 'text'],
  ['sku', 'text'],
  ['sku_key', 'text'],
  ['marketplace_id', 'text'],
  ['quantity_pool', 'text'],
  ['product_id', 'text'],
  ['fulfilment', 'text'],
  ['overrides', 'text'],
  ['sync_enabled', 'bool'],
  ['created_at', 'text'],
  ['dirty', 'bool'],
  ['dirty_since', 'text'],
  ['force_send', 'bool'],
  ['change_seq', 'int'],
  ['status', 'text'],
  ['attempts', 'int'],
  ['computed_quantity', 'int'],
  ['last_sent_quantity', 'int'],
  ['last_sent_at', 'text'],
  ['accepted_quantity', 'int'],
  ['accepted_at', 'text'],
  ['remote_quantity', 'int'],
];

/** B1-B5's listings also carry the sold basis (the unrecorded-sales rule reads it). */
const LISTING_COLUMNS: [string, ColumnType][] = [...LISTING_BASE_COLUMNS, ['sold_basis', 'int'], ['sold_basis_at', 'text']];

/** One listing row as the engine would have left it after Amazon accepted `accepted` (null: never sent). */
export function listingRow(
  d: {
    id: string;
    channelId: string;
    sku: string;
    marketplaceId: string;
    quantityPool: string;
    productId: string;
    overrides: object;
    syncEnabled: boolean;
    accepted: number | null;
    /** What the channel's previous read showed (seen in it: no read time of its own); null: never read. */
    previousRead?: number | null;
  },
  at: string,
): unknown[] {
  const sent = d.accepted !== null;
  return [
    d.id,
    d.channelId,
    d.sku,
    skuKey(d.sku),
    d.marketplaceId,
    d.quantityPool,
    d.productId,
    'merchant',
    JSON.stringify(d.overrides),
    d.syncEnabled,
    at,
    false,
    null,
    false,
    1,
    sent ? 'synced' : 'pending',
    0,
    d.accepted,
    d.accepted,
    sent ? at : null,
    d.accepted,
    sent ? at : null,
    d.previousRead ?? null,
    // The sold basis an accepted send leaves (docs/reliability.md): what the channel was given, as of then.
    d.accepted,
    sent ? at : null,
  ];
}

export function listingTable(rows: Iterable<unknown[]>): TableRows {
  return { table: 'listing', columns: LISTING_COLUMNS, rows };
}

/** The catalog, warehouses and stock of a data set as table rows, in foreign-key order. */
export function inventoryTables(d: Dataset): TableRows[] {
  const at = d.createdAt;
  return [
    { table: 'warehouse', columns: [['id', 'text'], ['code', 'text'], ['code_key', 'text'], ['name', 'text'], ['created_at', 'text']], rows: d.warehouses.map((w) => [w.id, w.code, w.code.toUpperCase(), `Warehouse ${w.code}`, at]) },
    {
      table: 'product',
      columns: [['id', 'text'], ['sku', 'text'], ['sku_key', 'text'], ['name', 'text'], ['kind', 'text'], ['parent_id', 'text'], ['created_at', 'text']],
      rows: d.products.map((p) => [p.id, p.sku, skuKey(p.sku), `Product ${p.sku}`, p.kind, p.parentId, at]),
    },
    { table: 'bundle_component', columns: [['bundle_id', 'text'], ['component_id', 'text'], ['quantity', 'int']], rows: d.components.map((c) => [c.bundleId, c.componentId, c.quantity]) },
    {
      table: 'stock_level',
      columns: [['product_id', 'text'], ['warehouse_id', 'text'], ['in_stock', 'int'], ['allocated', 'int'], ['updated_at', 'text']],
      rows: d.levels.map((l) => [l.productId, l.warehouseId, l.inStock, l.allocated, at]),
    },
  ];
}

/** The data set's channels (host settings only: the benchmarks that talk to a plugin create theirs through the API). */
export function channelTable(d: Dataset): TableRows {
  const at = d.createdAt;
  return {
    table: 'channel',
    columns: [
      ['id', 'text'],
      ['type', 'text'],
      ['name', 'text'],
      ['fulfilment', 'text'],
      ['marketplace_id', 'text'],
      ['quantity_pool', 'text'],
      ['account_id', 'text'],
      ['sync_enabled', 'bool'],
      ['on_hand_warehouse_ids', 'text'],
      ['allocation_warehouse_id', 'text'],
      ['rules', 'text'],
      ['plugin_settings', 'text'],
      ['created_at', 'text'],
      ['updated_at', 'text'],
      ['remote_read_at', 'text'],
    ],
    rows: d.channels.map((c) => [c.id, 'amazon-mfn', c.name, 'merchant', c.marketplaceId, c.quantityPool, c.quantityPool.split(':')[0], true, JSON.stringify(c.warehouseIds), c.warehouseIds[0], JSON.stringify(c.rules), '{}', at, at, at]),
  };
}

export function* datasetListingRows(d: Dataset): Iterable<unknown[]> {
  for (const l of d.listings) {
    const c = d.channels[l.channel];
    const p = d.products[l.product];
    yield listingRow(
      // A quiet night: the previous read (at createdAt) showed our quantity for every listing, so
      // tonight's read changes only the drifted (about 3%) and missing (0.5%) ones.
      { id: l.id, channelId: c.id, sku: p.sku, marketplaceId: c.marketplaceId, quantityPool: c.quantityPool, productId: p.id, overrides: l.overrides, syncEnabled: l.syncEnabled, accepted: l.amazonQuantity, previousRead: l.expected },
      d.createdAt,
    );
  }
}

/**
 * Writes rows straight into the migrated tables, in big transactions: prepared statements on SQLite
 * (better-sqlite3's own handle), `INSERT ... SELECT FROM unnest(arrays)` of 20,000 rows on PostgreSQL.
 * Returns the rows written.
 */
export async function bulkInsert(ds: DataSource, t: TableRows): Promise<number> {
  const cols = t.columns.map(([c]) => `"${c}"`).join(', ');
  if (ds.options.type === 'better-sqlite3') {
    const db = (ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
    const stmt = db.prepare(`INSERT INTO "${t.table}" (${cols}) VALUES (${t.columns.map(() => '?').join(', ')})`);
    const bools = t.columns.map(([, type]) => type === 'bool');
    let n = 0;
    let batch: unknown[][] = [];
    const flush = db.transaction((rows: unknown[][]) => {
      for (const r of rows) stmt.run(...r.map((v, i) => (bools[i] ? (v ? 1 : 0) : v)));
    });
    for (const r of t.rows) {
      batch.push(r);
      if (batch.length >= 50_000) {
        flush(batch);
        n += batch.length;
        batch = [];
      }
    }
    flush(batch);
    return n + batch.length;
  }
  const schema = (ds.options as { schema?: string }).schema;
  const table = schema ? `"${schema}"."${t.table}"` : `"${t.table}"`;
  const casts = t.columns.map(([, type], i) => `$${i + 1}::${type === 'int' ? 'int' : type === 'bool' ? 'boolean' : 'varchar'}[]`).join(', ');
  const sql = `INSERT INTO ${table} (${cols}) SELECT * FROM unnest(${casts})`;
  const qr = ds.createQueryRunner();
  await qr.connect();
  let n = 0;
  try {
    await qr.startTransaction();
    let batch: unknown[][] = [];
    const flush = async () => {
      if (!batch.length) return;
      await qr.query(sql, t.columns.map((_, i) => batch.map((r) => r[i])));
      n += batch.length;
      batch = [];
    };
    for (const r of t.rows) {
      batch.push(r);
      if (batch.length >= 20_000) await flush();
    }
    await flush();
    await qr.commitTransaction();
  } catch (e) {
    await qr.rollbackTransaction().catch(() => undefined);
    throw e;
  } finally {
    await qr.release();
  }
  return n;
}

interface SqliteHandle {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
}

/** Loads the whole data set (inventory, channels, listings); returns rows per table. */
export async function loadDataset(ds: DataSource, d: Dataset): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [...inventoryTables(d), channelTable(d), listingTable(datasetListingRows(d))]) out[t.table] = await bulkInsert(ds, t);
  // PostgreSQL's autovacuum would analyze the fresh tables at some moment during the run; do it now so
  // every run plans with statistics. SQLite is left as the host leaves it (the host never runs ANALYZE).
  if (ds.options.type === 'postgres') {
    const schema = (ds.options as { schema?: string }).schema;
    for (const table of Object.keys(out)) await ds.query(`ANALYZE ${schema ? `"${schema}".` : ''}"${table}"`);
  }
  return out;
}
