import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { channelEntities } from '../persistence';
import { SyncInit1764400000000 } from './1764400000000-sync-init';
import { ChannelRemoteReadAt1764700000000 } from './1764700000000-channel-remote-read-at';
import { ListingForceAndHold1764800000000 } from './1764800000000-listing-force-and-hold';
import { ListingReceiptIndex1764900000000 } from './1764900000000-listing-receipt-index';
import { ChannelManagedWarehouse1765000000000 } from './1765000000000-channel-managed-warehouse';
import { ListingUnrecordedSales1765100000000 } from './1765100000000-listing-unrecorded-sales';

const T1 = '2026-11-01T00:00:00.000Z';

/** Listings the channel shows a quantity for start their basis from it; nothing withheld (up); the columns go (down). */
describe.each(['sqlite', 'postgres'] as const)('migration ListingUnrecordedSales on %s', (engine) => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestDataSource({
      engine,
      entities: channelEntities,
      migrations: [SyncInit1764400000000, ChannelRemoteReadAt1764700000000, ListingForceAndHold1764800000000, ListingReceiptIndex1764900000000, ChannelManagedWarehouse1765000000000],
    });
  });
  afterAll(() => t?.close());

  const cols = `id, channel_id, sku, sku_key, marketplace_id, quantity_pool, product_id, fulfilment, overrides, sync_enabled, created_at, dirty, force_send, change_seq, status, attempts, accepted_quantity, accepted_at`;
  const params = (n: number) => Array.from({ length: n }, (_, i) => (engine === 'postgres' ? `$${i + 1}` : '?')).join(', ');

  it('adds the basis (from the last accepted quantity) and the withheld units, and reverts', async () => {
    const qr = t.ds.createQueryRunner();
    try {
      const listing = (id: string, status: string, accepted: number | null) =>
        qr.query(`INSERT INTO listing (${cols}) VALUES (${params(18)})`, [id, 'c1', id, id.toUpperCase(), 'M1', 'c1:M1', 'p', 'merchant', '{}', true, T1, false, false, 1, status, 0, accepted, accepted === null ? null : T1]);
      await listing('synced', 'synced', 10);
      await listing('sent', 'sent', 4);
      await listing('failed', 'error', null);
      await listing('new', 'pending', null);

      await new ListingUnrecordedSales1765100000000().up(qr);
      const rows = (await qr.query(`SELECT id, sold_basis, sold_basis_at, withheld_quantity, withheld_since FROM listing ORDER BY id`)) as Record<string, unknown>[];
      expect(rows.map((r) => [r['id'], r['sold_basis'], r['sold_basis_at'], Number(r['withheld_quantity']), r['withheld_since']])).toEqual([
        ['failed', null, null, 0, null],
        ['new', null, null, 0, null],
        ['sent', 4, T1, 0, null],
        ['synced', 10, T1, 0, null],
      ]);

      await new ListingUnrecordedSales1765100000000().down(qr);
      for (const c of ['sold_basis', 'sold_basis_at', 'withheld_quantity', 'withheld_since']) expect(await qr.hasColumn('listing', c)).toBe(false);
    } finally {
      await qr.release();
    }
  });
});
