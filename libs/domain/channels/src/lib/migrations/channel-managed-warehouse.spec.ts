import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { channelEntities } from '../persistence';
import { SyncInit1764400000000 } from './1764400000000-sync-init';
import { ChannelManagedWarehouse1765000000000 } from './1765000000000-channel-managed-warehouse';

const T1 = '2026-11-01T00:00:00.000Z';

/** The managed warehouse of existing channels survives the column rename and its revert, on both engines. */
describe.each(['sqlite', 'postgres'] as const)('migration ChannelManagedWarehouse on %s', (engine) => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: channelEntities, migrations: [SyncInit1764400000000] });
  });
  afterAll(() => t?.close());

  const p = (i: number) => (engine === 'postgres' ? `$${i}` : '?');
  const params = (n: number) => Array.from({ length: n }, (_, i) => p(i + 1)).join(', ');

  it('keeps each channel’s warehouse under the new name, and back', async () => {
    const qr = t.ds.createQueryRunner();
    try {
      const cols = 'id, type, name, fulfilment, marketplace_id, quantity_pool, account_id, sync_enabled, on_hand_warehouse_ids, rules, plugin_settings, created_at, updated_at, fba_warehouse_id';
      await qr.query(`INSERT INTO channel (${cols}) VALUES (${params(14)})`, ['held', 't', 'held', 'channel', 'M1', 'held:M1', 's', true, '[]', '{}', '{}', T1, T1, 'w-mirror']);
      await qr.query(`INSERT INTO channel (${cols}) VALUES (${params(14)})`, ['merchant', 't', 'merchant', 'merchant', 'M1', 'merchant:M1', 's', true, '[]', '{}', '{}', T1, T1, null]);

      await new ChannelManagedWarehouse1765000000000().up(qr);
      expect(await qr.query(`SELECT id, managed_warehouse_id FROM channel ORDER BY id`)).toEqual([
        { id: 'held', managed_warehouse_id: 'w-mirror' },
        { id: 'merchant', managed_warehouse_id: null },
      ]);

      await new ChannelManagedWarehouse1765000000000().down(qr);
      expect(await qr.query(`SELECT id, fba_warehouse_id FROM channel ORDER BY id`)).toEqual([
        { id: 'held', fba_warehouse_id: 'w-mirror' },
        { id: 'merchant', fba_warehouse_id: null },
      ]);
    } finally {
      await qr.release();
    }
  });
});
