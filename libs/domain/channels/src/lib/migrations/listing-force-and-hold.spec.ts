import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { channelEntities } from '../persistence';
import { SyncInit1764400000000 } from './1764400000000-sync-init';
import { ChannelRemoteReadAt1764700000000 } from './1764700000000-channel-remote-read-at';
import { ListingForceAndHold1764800000000 } from './1764800000000-listing-force-and-hold';

const T1 = '2026-11-01T00:00:00.000Z';
const LATER = '2026-11-01T06:00:00.000Z';

/** Pending forces are dated at their listing's current change and holds get their quantity (up); both go (down). */
describe.each(['sqlite', 'postgres'] as const)('migration ListingForceAndHold on %s', (engine) => {
  let t: TestDataSource;
  beforeAll(async () => {
    t = await openTestDataSource({ engine, entities: channelEntities, migrations: [SyncInit1764400000000, ChannelRemoteReadAt1764700000000] });
  });
  afterAll(() => t?.close());

  const cols = `id, channel_id, sku, sku_key, marketplace_id, quantity_pool, product_id, fulfilment, overrides, sync_enabled, created_at, dirty, force_send, change_seq, status, attempts, accepted_quantity, receipt, inflight_token, inflight_until`;
  const params = (n: number) => Array.from({ length: n }, (_, i) => (engine === 'postgres' ? `$${i + 1}` : '?')).join(', ');

  it('sets force_seq where a send is forced and inflight_quantity where a listing is held, and reverts', async () => {
    const qr = t.ds.createQueryRunner();
    try {
      const listing = (id: string, force: boolean, changeSeq: number, held: { quantity: number; receipt: string; token: string | null } | null) =>
        qr.query(`INSERT INTO listing (${cols}) VALUES (${params(20)})`, [
          id, 'c1', id, id.toUpperCase(), 'M1', 'c1:M1', 'p', 'merchant', '{}', true, T1, true, force, changeSeq, held ? 'sent' : 'pending', 0,
          held?.quantity ?? null, held?.receipt ?? null, held?.token ?? null, held?.token ? LATER : null,
        ]);
      await listing('forced', true, 4, null);
      await listing('held', false, 2, { quantity: 9, receipt: 'feed:1:1', token: 'tok' });
      await listing('plain', false, 7, null);
      await listing('unheld', false, 3, { quantity: 5, receipt: 'patch:X:5', token: null });

      await new ListingForceAndHold1764800000000().up(qr);
      const rows = async () => (await qr.query(`SELECT id, force_send, force_seq, inflight_quantity FROM listing ORDER BY id`)) as { id: string; force_send: boolean | number; force_seq: number | null; inflight_quantity: number | null }[];
      expect((await rows()).map((r) => [r.id, !!r.force_send, r.force_seq, r.inflight_quantity])).toEqual([
        ['forced', true, 4, null],
        ['held', false, null, 9],
        ['plain', false, null, null],
        ['unheld', false, null, null],
      ]);

      await new ListingForceAndHold1764800000000().down(qr);
      expect(await qr.hasColumn('listing', 'force_seq')).toBe(false);
      expect((await qr.query(`SELECT id, inflight_quantity FROM listing ORDER BY id`)).map((r: { inflight_quantity: number | null }) => r.inflight_quantity)).toEqual([null, null, null, null]);
    } finally {
      await qr.release();
    }
  });
});
