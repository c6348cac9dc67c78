import type { RemoteQuantity } from '@invsync/plugin-api';
import type { DbEngine } from '@invsync/domain-shared';
import type { WarehouseView } from '@invsync/domain-stock';
import { openSyncFixture, type SyncFixture } from './sync-fixture';

const user = { type: 'user', actor: 'test' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function* pages(...ps: RemoteQuantity[][]) {
  for (const p of ps) yield p;
}

/**
 * What read-back tests share: one warehouse, channels of either fulfilment on it, listings with one
 * stock product each, and complete reads stored at distinct times.
 */
export interface ReadBackScenario {
  f: SyncFixture;
  w: WarehouseView;
  channel(fulfilment?: 'merchant' | 'channel'): ReturnType<SyncFixture['channels']['create']>;
  /** Listings on the channel, one product each with `quantities[i]` in stock. */
  listings(channelId: string, quantities: number[]): Promise<Awaited<ReturnType<SyncFixture['listings']['connect']>>[]>;
  /** Stores one complete read at a new time (reads in one millisecond would share it). */
  store(channelId: string, ...ps: RemoteQuantity[][]): ReturnType<SyncFixture['reconciliation']['storeRemoteQuantities']>;
}

export async function openReadBackScenario(engine: DbEngine): Promise<ReadBackScenario> {
  const f = await openSyncFixture(engine);
  const w = await f.warehouses.create({ code: 'W1', name: 'One' });
  let seq = 0;
  return {
    f,
    w,
    channel: (fulfilment = 'merchant') =>
      f.channels.create({
        type: 'test',
        name: `ch-${++seq}`,
        fulfilment,
        marketplaceId: 'M1',
        quantityPool: `seller-${seq}:M1`,
        accountId: 'seller',
        syncInventory: fulfilment === 'merchant',
        onHandWarehouseIds: fulfilment === 'merchant' ? [w.id] : [],
        managedWarehouseId: fulfilment === 'channel' ? w.id : null,
        rules: {},
        pluginSettings: '{}',
      }),
    listings: async (channelId, quantities) => {
      const out = [];
      for (const qty of quantities) {
        const p = await f.catalog.create({ sku: `RB-${engine}-${++seq}`, name: 'p', kind: 'stock' });
        if (qty) await f.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: qty }], { cause: user });
        out.push(await f.listings.connect(channelId, { sku: p.sku, productId: p.id }));
      }
      return out;
    },
    store: async (channelId, ...ps) => {
      await sleep(2);
      return f.reconciliation.storeRemoteQuantities(channelId, pages(...ps), { pageSize: 2 });
    },
  };
}
