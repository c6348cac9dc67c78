import { openSyncFixture, type SyncFixture } from '@invsync/domain-sync';
import { NotFoundError, RuleViolationError } from '@invsync/domain-shared';
import type { WarehouseView } from '@invsync/domain-stock';
import { orderEntities, orderMigrations } from '../index';
import { OrderService } from './order.service';

const user = { type: 'user', actor: 'test' };

describe.each(['sqlite', 'postgres'] as const)('OrderService on %s', (engine) => {
  let f: SyncFixture;
  let orders: OrderService;
  let w: WarehouseView;
  let other: WarehouseView;
  let channelId: string;
  let seq = 0;

  beforeAll(async () => {
    f = await openSyncFixture(engine, {}, undefined, { entities: orderEntities, migrations: orderMigrations });
    orders = new OrderService(f.tx, f.ledger);
    w = await f.warehouses.create({ code: 'ALLOC', name: 'Allocation' });
    other = await f.warehouses.create({ code: 'OTHER', name: 'Other' });
    const c = await f.channels.create({
      type: 'test', name: 'shop', fulfilment: 'merchant', marketplaceId: 'M', quantityPool: 's:M', accountId: 's',
      syncInventory: true, onHandWarehouseIds: [w.id, other.id], allocationWarehouseId: w.id, rules: {}, pluginSettings: '{}',
    });
    channelId = c.id;
  });
  afterAll(() => f?.close());

  const stock = async (inAlloc: number, inOther = 0) => {
    const p = await f.catalog.create({ sku: `O-${engine}-${++seq}`, name: 'p', kind: 'stock' });
    if (inAlloc) await f.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: inAlloc }], { cause: user });
    if (inOther) await f.ledger.apply([{ productId: p.id, warehouseId: other.id, type: 'goods-in', quantity: inOther }], { cause: user });
    return p;
  };
  const level = async (productId: string, warehouseId = w.id) => (await f.ledger.levels([productId], [warehouseId]))[0];

  it('allocates from the allocation warehouse only, backorders the rest, and allocates nothing twice', async () => {
    const p = await stock(3, 50);
    const first = await orders.record({ channelId, externalId: `E-${seq}`, lines: [{ sku: p.sku, quantity: 5 }] });
    expect(first.created).toBe(true);
    expect(first.order.lines[0]).toMatchObject({ quantity: 5, allocated: 3, backordered: 2 });
    expect(await level(p.id)).toMatchObject({ inStock: 3, allocated: 3, onHand: 0 });
    expect(await level(p.id, other.id)).toMatchObject({ allocated: 0 });
    const again = await orders.record({ channelId, externalId: `E-${seq}`, lines: [{ sku: p.sku, quantity: 5 }] });
    expect(again.created).toBe(false);
    expect(again.order.id).toBe(first.order.id);
    expect(await level(p.id)).toMatchObject({ allocated: 3 });
  });

  it('allocates a bundle through its components, and cancelling releases them', async () => {
    const a = await stock(10);
    const b = await stock(10);
    const bundle = await f.catalog.create({ sku: `BUN-${engine}-${++seq}`, name: 'b', kind: 'bundle', components: [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 3 }] });
    const { order } = await orders.record({ channelId, externalId: `B-${seq}`, lines: [{ sku: bundle.sku, quantity: 4 }] });
    expect(order.lines[0]).toMatchObject({ allocated: 3, backordered: 1 });
    expect(await level(a.id)).toMatchObject({ allocated: 3 });
    expect(await level(b.id)).toMatchObject({ allocated: 9 });
    await orders.cancel(order.id);
    expect(await level(a.id)).toMatchObject({ allocated: 0, onHand: 10 });
    expect(await level(b.id)).toMatchObject({ allocated: 0, onHand: 10 });
    await expect(orders.cancel(order.id)).rejects.toBeInstanceOf(RuleViolationError);
  });

  it('ships: in stock and allocated fall together, on hand unchanged', async () => {
    const p = await stock(8);
    const { order } = await orders.record({ channelId, externalId: `S-${seq}`, lines: [{ sku: p.sku, quantity: 2 }] });
    expect(await level(p.id)).toMatchObject({ inStock: 8, allocated: 2, onHand: 6 });
    const shipped = await orders.ship(order.id);
    expect(shipped.status).toBe('shipped');
    expect(await level(p.id)).toMatchObject({ inStock: 6, allocated: 0, onHand: 6 });
  });

  it('records a cancellation delivered for an open order (channel download) by de-allocating', async () => {
    const p = await stock(5);
    await orders.record({ channelId, externalId: `C-${seq}`, lines: [{ sku: p.sku, quantity: 2 }] });
    const r = await orders.record({ channelId, externalId: `C-${seq}`, lines: [{ sku: p.sku, quantity: 2 }], status: 'cancelled' });
    expect(r.order.status).toBe('cancelled');
    expect(await level(p.id)).toMatchObject({ allocated: 0 });
  });

  it('allocates nothing for orders the channel fulfils', async () => {
    const p = await stock(5);
    const r = await orders.record({ channelId, externalId: `A-${seq}`, lines: [{ sku: p.sku, quantity: 2 }], fulfilledByChannel: true });
    expect(r.order.lines[0]).toMatchObject({ allocated: 0, backordered: 0 });
    expect(await level(p.id)).toMatchObject({ allocated: 0 });
  });

  it('parks an order with an unknown SKU, allocating nothing, and refuses an unknown channel', async () => {
    const p = await stock(5);
    const r = await orders.record({ channelId, externalId: `U-${seq}`, lines: [{ sku: p.sku, quantity: 1 }, { sku: 'NOPE', quantity: 1 }] });
    expect(r.order).toMatchObject({ status: 'parked', warehouseId: null, lines: [{ productId: p.id, allocated: 0 }, { sku: 'NOPE', productId: null, allocated: 0 }] });
    expect(r.order.parkedReason).toContain('"NOPE"');
    expect(await level(p.id)).toMatchObject({ allocated: 0 });
    await expect(orders.record({ channelId: 'nope', externalId: 'x', lines: [{ sku: p.sku, quantity: 1 }] })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('announces orders (and onHand when it allocates) once per commit, and nothing for a refused order or a repeat', async () => {
    const p = await stock(4);
    const heard: string[][] = [];
    const off = f.tx.afterCommit((topics) => heard.push([...topics].sort()));
    try {
      const { order } = await orders.record({ channelId, externalId: `T-${seq}`, lines: [{ sku: p.sku, quantity: 1 }], actor: 'channel' });
      expect(heard).toEqual([['onHand', 'orders']]);
      await orders.record({ channelId, externalId: `T-${seq}`, lines: [{ sku: p.sku, quantity: 1 }] });
      await expect(orders.record({ channelId: 'no-such-channel', externalId: `T2-${seq}`, lines: [{ sku: 'NOPE', quantity: 1 }] })).rejects.toBeInstanceOf(NotFoundError);
      expect(heard).toHaveLength(1);
      await orders.ship(order.id);
      expect(heard).toEqual([['onHand', 'orders'], ['onHand', 'orders']]);
    } finally {
      off();
    }
  });
});
