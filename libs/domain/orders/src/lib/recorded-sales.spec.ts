import { openSyncFixture, type SyncFixture } from '@invsync/domain-sync';
import { ListingEntity } from '@invsync/domain-channels';
import { orderEntities, orderMigrations } from '../index';
import { OrderService } from './order.service';
import { RecordedSales } from './recorded-sales';

const tick = () => new Promise((r) => setTimeout(r, 5));

/** Units recorded since a listing's sold basis: every channel sharing its quantity, its product, not cancelled, not the channel's own fulfilment. */
describe.each(['sqlite', 'postgres'] as const)('RecordedSales on %s', (engine) => {
  let f: SyncFixture;

  beforeAll(async () => {
    f = await openSyncFixture(engine, {}, undefined, { entities: orderEntities, migrations: orderMigrations });
  });
  afterAll(() => f?.close());

  it('counts the orders recorded after the basis on every channel of the shared quantity only', async () => {
    const orders = new OrderService(f.tx, f.ledger);
    const w = await f.warehouses.create({ code: `RS-${engine}`, name: 'w' });
    const channel = (name: string, marketplaceId: string, quantityPool: string) =>
      f.channels.create({ type: 'test', name, fulfilment: 'merchant', marketplaceId, quantityPool, accountId: 's', syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: w.id, rules: {}, pluginSettings: '{}' });
    const de = await channel('de', 'DE', 's:EU');
    const fr = await channel('fr', 'FR', 's:EU');
    const us = await channel('us', 'US', 's:US');
    const p = await f.catalog.create({ sku: `RS-P-${engine}`, name: 'p', kind: 'stock' });
    const other = await f.catalog.create({ sku: `RS-Q-${engine}`, name: 'q', kind: 'stock' });
    await f.ledger.apply([p, other].map((x) => ({ productId: x.id, warehouseId: w.id, type: 'goods-in' as const, quantity: 100 })), { cause: { type: 'user', actor: 't' } });
    const lde = await f.listings.connect(de.id, { sku: p.sku, productId: p.id });
    await f.listings.connect(fr.id, { sku: p.sku, productId: p.id });
    const lus = await f.listings.connect(us.id, { sku: p.sku, productId: p.id });
    let n = 0;
    const order = (channelId: string, sku: string, quantity: number, extra: { fulfilledByChannel?: boolean } = {}) => orders.record({ channelId, externalId: `RS-${++n}`, lines: [{ sku, quantity }], ...extra });

    await order(de.id, p.sku, 1); // before the basis
    await tick();
    await f.tx.run((em) => em.getRepository(ListingEntity).update(lde.id, { soldBasis: 10, soldBasisAt: new Date().toISOString() }));
    await tick();
    await order(de.id, p.sku, 3);
    await order(fr.id, p.sku, 2); // same seller + SKU quantity
    await order(us.id, p.sku, 4); // another quantity
    await order(de.id, other.sku, 6); // another product
    await order(de.id, p.sku, 7, { fulfilledByChannel: true });
    const cancelled = await order(de.id, p.sku, 5);
    await orders.cancel(cancelled.order.id);

    const units = await f.tx.read((em) => new RecordedSales().unitsSinceBasis(em, [lde.id, lus.id]));
    expect(units.get(lde.id)).toBe(5);
    expect(units.has(lus.id)).toBe(false); // never sent: no basis
  });
});
