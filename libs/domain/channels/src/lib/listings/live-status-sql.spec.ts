import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import type { ListingStatus } from '../persistence/listing.entity';
import { channelEntities, channelMigrations } from '../persistence';
import { displayStatus, merchantStatusWhere } from './listing-views';

const STATUSES: ListingStatus[] = ['pending', 'sent', 'synced', 'error', 'disabled', 'conflict'];

/**
 * The status filter of Live Listings is answered in SQL: for every stored state of a merchant
 * listing (switch, stored status, dirty mark) and both positions of the channel's Sync switch, the
 * SQL keeps exactly the listings whose displayed status is the one asked for.
 */
describe.each(['sqlite', 'postgres'] as const)('Live Listings status filter in SQL on %s', (engine) => {
  let t: TestDataSource;
  const rows: { id: string; syncEnabled: boolean; status: ListingStatus; dirty: boolean }[] = [];

  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: channelEntities, migrations: channelMigrations });
    const p = (n: number) => Array.from({ length: n }, (_, i) => (engine === 'postgres' ? `$${i + 1}` : '?')).join(', ');
    for (const syncEnabled of [true, false]) {
      for (const status of STATUSES) {
        for (const dirty of [true, false]) {
          const id = `${syncEnabled ? 'on' : 'off'}-${status}-${dirty ? 'dirty' : 'clean'}`;
          rows.push({ id, syncEnabled, status, dirty });
          await t.ds.query(
            `INSERT INTO listing (id, channel_id, sku, sku_key, marketplace_id, quantity_pool, product_id, fulfilment, overrides, sync_enabled, created_at, dirty, force_send, change_seq, status, attempts) VALUES (${p(16)})`,
            [id, 'c1', id, id.toUpperCase(), 'M1', 'c1:M1', 'p', 'merchant', '{}', syncEnabled, '2026-12-01T00:00:00.000Z', dirty, false, 1, status, 0],
          );
        }
      }
    }
  });
  afterAll(() => t?.close());

  it.each([true, false])('agrees with displayStatus for every stored state (channel sync %s)', async (channelSync) => {
    const channel = { syncEnabled: channelSync };
    for (const status of STATUSES) {
      const alternatives = merchantStatusWhere(status, channel);
      const got = alternatives.length === 0 ? [] : ((await t.ds.query(`SELECT id FROM listing l WHERE ${alternatives.map((w) => `(${w})`).join(' OR ')} ORDER BY id`)) as { id: string }[]).map((r) => r.id);
      // The alternatives do not overlap: a listing is read once.
      for (let i = 0; i < alternatives.length; i++)
        for (let j = i + 1; j < alternatives.length; j++)
          expect(await t.ds.query(`SELECT id FROM listing l WHERE (${alternatives[i]}) AND (${alternatives[j]})`)).toEqual([]);
      const expected = rows.filter((r) => displayStatus(r, channel) === status).map((r) => r.id).sort();
      expect({ status, ids: [...got].sort() }).toEqual({ status, ids: expected });
    }
  });

  it('has the indexes Live Listings pages on', async () => {
    const qr = t.ds.createQueryRunner();
    try {
      const names = (await qr.getTable('listing'))!.indices.map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['idx_listing_channel_id', 'idx_listing_channel_status', 'idx_listing_channel_fulfilment', 'idx_listing_channel_dirty']));
      // PostgreSQL: SKU prefixes through a pattern index, whatever the database's collation.
      const pattern = engine === 'postgres' ? ((await t.ds.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'idx_listing_channel_sku_pattern'`)) as { indexdef: string }[]) : [];
      if (engine === 'postgres') expect(pattern[0]?.indexdef).toMatch(/\(channel_id, sku_key varchar_pattern_ops\)/);
    } finally {
      await qr.release();
    }
  });
});
