import type { ProductView } from '@invsync/domain-catalog';
import type { DbEngine } from '@invsync/domain-shared';
import type { WarehouseView } from '@invsync/domain-stock';
import { ListingEntity } from '@invsync/domain-channels';
import { openSyncFixture, type SyncFixture } from '../../testing/sync-fixture';

export const user = { type: 'user', actor: 'test' };
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The dispatcher specs' shared setup: one fixture per engine with two warehouses, a recording
 * gateway answering `synced` unless a test says otherwise, and helpers to make products, channels
 * and listings. Registers its own beforeAll/afterAll/beforeEach in the calling describe.
 */
export function useDispatcherFixture(engine: DbEngine) {
  const ctx = {
    f: undefined as unknown as SyncFixture,
    w1: undefined as unknown as WarehouseView,
    w2: undefined as unknown as WarehouseView,
    seq: 0,
    async product(qty: number, warehouse?: WarehouseView): Promise<ProductView> {
      const p = await ctx.f.catalog.create({ sku: `P-${engine}-${++ctx.seq}`, name: 'p', kind: 'stock' });
      if (qty) await ctx.f.ledger.apply([{ productId: p.id, warehouseId: (warehouse ?? ctx.w1).id, type: 'goods-in', quantity: qty }], { cause: user });
      return p;
    },
    channel(over: Partial<Parameters<SyncFixture['channels']['create']>[0]> = {}): ReturnType<SyncFixture['channels']['create']> {
      return ctx.f.channels.create({
        type: 'test',
        name: `ch-${++ctx.seq}`,
        fulfilment: 'merchant',
        marketplaceId: 'M1',
        quantityPool: `seller-${ctx.seq}:M1`,
        accountId: 'seller',
        syncInventory: true,
        onHandWarehouseIds: [ctx.w1.id],
        rules: {},
        pluginSettings: '{}',
        ...over,
      });
    },
    /** Passes until nothing is left to do. */
    async settle(): Promise<void> {
      for (let i = 0; i < 20; i++) {
        const s = await ctx.f.dispatcher.pass();
        if (!s.claimed && !s.changesConsumed) return;
      }
    },
    row(id: string): Promise<ListingEntity> {
      return ctx.f.t.ds.getRepository(ListingEntity).findOneByOrFail({ id });
    },
    /** A warehouse, a product and one listing of it on a new channel, in a fixture of its own. */
    async oneListing(g: SyncFixture, sku: string) {
      const w = await g.warehouses.create({ code: 'W', name: 'W' });
      const p = await g.catalog.create({ sku, name: 'p', kind: 'stock' });
      const c = await g.channels.create({
        type: 'test', name: 'c', fulfilment: 'merchant', marketplaceId: 'M', quantityPool: 's:M', accountId: 's', syncInventory: true, onHandWarehouseIds: [w.id], rules: {}, pluginSettings: '{}',
      });
      return { w, p, l: await g.listings.connect(c.id, { sku, productId: p.id }) };
    },
  };
  beforeAll(async () => {
    ctx.f = await openSyncFixture(engine);
    ctx.w1 = await ctx.f.warehouses.create({ code: 'W1', name: 'One' });
    ctx.w2 = await ctx.f.warehouses.create({ code: 'W2', name: 'Two' });
  });
  afterAll(() => ctx.f?.close());
  beforeEach(() => {
    ctx.f.gateway.sent.length = 0;
    ctx.f.gateway.whileSending = undefined;
    ctx.f.gateway.answer = (u) => ({ updateId: u.updateId, status: 'synced' });
  });
  return ctx;
}
