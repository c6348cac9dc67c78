import { openTestDataSource, type TestDataSource, TransactionRunner } from '@invsync/domain-shared';
import fc from 'fast-check';
import { ChannelEntity } from '../persistence/channel.entity';
import type { ListingStatus } from '../persistence/listing.entity';
import { channelEntities, channelMigrations } from '../persistence';
import { ListingService } from './listing.service';
import { RARE_STATUS_ROWS, rareStatusInSkuOrder } from './rare-status-sku-order';
import { displayStatus, liveStatusAlternatives } from './listing-views';

/** Every status, stored on a row and shown by Live Listings alike. */
const STATUSES: ListingStatus[] = ['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'];

/**
 * Live Listings in SKU order with a status filter: a rare status is read through the status index
 * and sorted (SQLite), a common one walks the SKU range; either way every page is the listings whose
 * displayed status is the one asked for and whose SKU starts with the prefix, in SKU order, and the
 * cursor walks them all exactly once.
 */
describe.each(['sqlite', 'postgres'] as const)('Live Listings by SKU prefix and status on %s', (engine) => {
  let t: TestDataSource;
  let listings: ListingService;
  const rows: { sku: string; key: string; syncEnabled: boolean; status: ListingStatus; dirty: boolean }[] = [];

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: channelEntities, migrations: channelMigrations });
    listings = new ListingService(TransactionRunner.for(t.ds));
    const at = '2026-12-01T00:00:00.000Z';
    await t.ds.getRepository(ChannelEntity).insert({
      id: 'c1', name: 'c1', type: 'test', fulfilment: 'merchant', marketplaceId: 'M1', quantityPool: 'c1:M1', accountId: 'a1', syncEnabled: true,
      onHandWarehouseIds: '[]', rules: '{}', pluginSettings: '{}', createdAt: at, updatedAt: at,
    } as Partial<ChannelEntity>);
    // More synced listings than RARE_STATUS_ROWS (the SKU range is walked), a few of each other state.
    const rnd = fc.sample(fc.tuple(fc.constantFrom('A', 'B', 'a'), fc.nat(9999)), { seed: 7, numRuns: RARE_STATUS_ROWS + 600 });
    const seen = new Set<string>();
    for (const [i, [letter, n]] of rnd.entries()) {
      const sku = `${letter}${String(n).padStart(4, '0')}-${i % 7}`;
      if (seen.has(sku.toUpperCase())) continue;
      seen.add(sku.toUpperCase());
      const rare = i % 13 === 0;
      const status: ListingStatus = rare ? STATUSES[i % STATUSES.length] : 'synced';
      rows.push({ sku, key: sku.toUpperCase(), syncEnabled: !(rare && i % 5 === 0), status, dirty: rare && i % 2 === 0 });
    }
    const cols = ['id', 'channel_id', 'sku', 'sku_key', 'marketplace_id', 'quantity_pool', 'product_id', 'fulfilment', 'overrides', 'sync_enabled', 'created_at', 'dirty', 'force_send', 'change_seq', 'status', 'attempts'];
    for (let i = 0; i < rows.length; i += 200) {
      const batch = rows.slice(i, i + 200);
      const params: unknown[] = [];
      const values = batch.map((r, j) => {
        params.push(`l-${String(i + j).padStart(6, '0')}`, 'c1', r.sku, r.key, 'M1', 'c1:M1', 'p', 'merchant', '{}', r.syncEnabled, at, r.dirty, false, 1, r.status, 0);
        const base = params.length - cols.length;
        return `(${cols.map((_, k) => (engine === 'postgres' ? `$${base + k + 1}` : '?')).join(', ')})`;
      });
      await t.ds.query(`INSERT INTO listing (${cols.join(', ')}) VALUES ${values.join(', ')}`, params);
    }
  });
  afterAll(() => t?.close());

  it('has both a rare and a common status among its rows', () => {
    const count = (s: ListingStatus) => rows.filter((r) => displayStatus(r, { syncEnabled: true }) === s).length;
    expect(count('synced')).toBeGreaterThan(RARE_STATUS_ROWS);
    expect(count('error')).toBeGreaterThan(0);
    expect(count('error')).toBeLessThan(RARE_STATUS_ROWS);
  });

  it('reads a rare status through the status index on SQLite, never walking the SKU range; a common one, and PostgreSQL, are left to the planner', async () => {
    const alternatives = (status: ListingStatus) => liveStatusAlternatives(status, { syncEnabled: true });
    const em = t.ds.manager;
    expect(await rareStatusInSkuOrder(em, 'c1', alternatives('synced'), 'A')).toBeUndefined();
    const rare = await rareStatusInSkuOrder(em, 'c1', alternatives('error'), 'A');
    if (engine === 'postgres') return expect(rare).toBeUndefined();
    const page = rare!('A0100', 51);
    const [sql, values] = t.ds.driver.escapeQueryWithParameters(`SELECT o.id FROM listing o WHERE o.${page.where}`, page.params);
    const plan = ((await t.ds.query(`EXPLAIN QUERY PLAN ${sql}`, values)) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toMatch(/USING INDEX idx_listing_channel_status/);
    expect(plan).not.toMatch(/uq_listing_channel_sku/);
  });

  it.each(STATUSES)('walks status %s under each prefix, in SKU order, every listing once', async (status) => {
    for (const prefix of ['A', 'a0', 'B12', 'Z']) {
      const expected = rows
        .filter((r) => displayStatus(r, { syncEnabled: true }) === status && r.key.startsWith(prefix.toUpperCase()))
        .map((r) => r.key)
        .sort();
      const got: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await listings.live('c1', { status, skuPrefix: prefix, limit: 37, cursor });
        expect(page.items.every((i) => i.status === status)).toBe(true);
        got.push(...page.items.map((i) => i.sku.toUpperCase()));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      expect({ status, prefix, skus: got }).toEqual({ status, prefix, skus: expected });
    }
  });
});
