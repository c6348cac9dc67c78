import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { channelEntities } from '../persistence';
import { SyncInit1764400000000 } from './1764400000000-sync-init';
import { ChannelRemoteReadAt1764700000000 } from './1764700000000-channel-remote-read-at';

const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';

/** Existing read times move to the channel (up) and back to the listings (down), on both engines. */
describe.each(['sqlite', 'postgres'] as const)('migration ChannelRemoteReadAt on %s', (engine) => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: channelEntities, migrations: [SyncInit1764400000000] });
  });
  afterAll(() => t?.close());

  const channelCols = `id, type, name, fulfilment, marketplace_id, quantity_pool, account_id, sync_enabled, on_hand_warehouse_ids, rules, plugin_settings, created_at, updated_at`;
  const listingCols = `id, channel_id, sku, sku_key, marketplace_id, quantity_pool, product_id, fulfilment, overrides, sync_enabled, created_at, dirty, force_send, change_seq, status, attempts, remote_quantity, remote_read_at`;
  const p = (i: number) => (engine === 'postgres' ? `$${i}` : '?');
  const params = (n: number, from = 1) => Array.from({ length: n }, (_, i) => p(from + i)).join(', ');

  it('stamps each channel with its newest read, marks listings read then as seen in it, and reverts', async () => {
    const qr = t.ds.createQueryRunner();
    try {
      for (const c of ['c1', 'c2']) {
        await qr.query(`INSERT INTO channel (${channelCols}) VALUES (${params(13)})`, [c, 't', c, 'merchant', 'M1', `${c}:M1`, 's', true, '[]', '{}', '{}', T1, T1]);
      }
      const listing = (id: string, channel: string, quantity: number | null, readAt: string | null) =>
        qr.query(`INSERT INTO listing (${listingCols}) VALUES (${params(18)})`, [id, channel, id, id.toUpperCase(), 'M1', `${channel}:M1`, 'p', 'merchant', '{}', true, T1, false, false, 1, 'synced', 0, quantity, readAt]);
      await listing('seen', 'c1', 5, T2);
      await listing('missing', 'c1', 3, T1);
      await listing('never', 'c1', null, null);
      await listing('other', 'c2', null, null);

      await new ChannelRemoteReadAt1764700000000().up(qr);
      const channels = async () => (await qr.query(`SELECT id, remote_read_at FROM channel ORDER BY id`)) as { id: string; remote_read_at: string | null }[];
      const listings = async () => (await qr.query(`SELECT id, remote_quantity, remote_read_at FROM listing ORDER BY id`)) as { id: string; remote_read_at: string | null }[];
      expect(await channels()).toEqual([
        { id: 'c1', remote_read_at: T2 },
        { id: 'c2', remote_read_at: null },
      ]);
      expect((await listings()).map((l) => [l.id, l.remote_read_at])).toEqual([
        ['missing', T1],
        ['never', null],
        ['other', null],
        ['seen', null],
      ]);

      await new ChannelRemoteReadAt1764700000000().down(qr);
      expect((await listings()).map((l) => [l.id, l.remote_read_at])).toEqual([
        ['missing', T1],
        ['never', null],
        ['other', null],
        ['seen', T2],
      ]);
      expect(await qr.hasColumn('channel', 'remote_read_at')).toBe(false);
    } finally {
      await qr.release();
    }
  });
});
