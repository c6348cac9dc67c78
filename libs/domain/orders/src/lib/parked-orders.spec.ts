import fc from 'fast-check';
import { openSyncFixture, type SyncFixture } from '@invsync/domain-sync';
import { InvalidInputError, RuleViolationError } from '@invsync/domain-shared';
import type { WarehouseView } from '@invsync/domain-stock';
import { orderEntities, orderMigrations } from '../index';
import { OrderService } from './order.service';

const user = { type: 'user', actor: 'test' };

describe.each(['sqlite', 'postgres'] as const)('order lines through listings, parked orders on %s', (engine) => {
  let f: SyncFixture;
  let orders: OrderService;
  let w: WarehouseView;
  let seq = 0;
  const tag = () => `${engine}-${++seq}`;

  beforeAll(async () => {
    f = await openSyncFixture(engine, {}, undefined, { entities: orderEntities, migrations: orderMigrations });
    orders = new OrderService(f.tx, f.ledger);
    w = await f.warehouses.create({ code: 'ALLOC', name: 'Allocation' });
  });
  afterAll(() => f?.close());

  const channel = async (allocation = true) =>
    (
      await f.channels.create({
        type: 'test', name: `shop-${tag()}`, fulfilment: 'merchant', marketplaceId: 'M', quantityPool: `s-${seq}:M`, accountId: `s-${seq}`,
        syncInventory: true, onHandWarehouseIds: [w.id], allocationWarehouseId: allocation ? w.id : null, rules: {}, pluginSettings: '{}',
      })
    ).id;
  const stock = async (inStock: number, sku = `P-${tag()}`) => {
    const p = await f.catalog.create({ sku, name: 'p', kind: 'stock' });
    if (inStock) await f.ledger.apply([{ productId: p.id, warehouseId: w.id, type: 'goods-in', quantity: inStock }], { cause: user });
    return p;
  };
  const allocated = async (productId: string) => (await f.ledger.levels([productId], [w.id]))[0].allocated;

  it("resolves a line through the channel's listing first, whatever its case and spacing, then through the product SKU", async () => {
    const ch = await channel();
    const pa = await stock(10);
    const decoy = await stock(10, `SKU-A-${seq}`); // a product whose SKU equals the listing's: the listing wins
    await f.listings.connect(ch, { sku: decoy.sku, productId: pa.id });
    const pb = await stock(10);
    const { order } = await orders.record({ channelId: ch, externalId: `L-${seq}`, lines: [{ sku: `  ${decoy.sku.toLowerCase()} `, quantity: 2 }, { sku: pb.sku, quantity: 1 }] });
    expect(order.status).toBe('open');
    expect(order.lines).toMatchObject([{ sku: decoy.sku.toLowerCase(), productId: pa.id, allocated: 2 }, { productId: pb.id, allocated: 1 }]);
    expect(await allocated(pa.id)).toBe(2);
    expect(await allocated(decoy.id)).toBe(0);
  });

  it('records a parked order once its listing is connected, and never allocates twice', async () => {
    const ch = await channel();
    const p = await stock(10);
    const sku = `AMZ-${seq}`;
    const first = await orders.record({ channelId: ch, externalId: `P-${seq}`, lines: [{ sku, quantity: 3 }] });
    expect(first.order).toMatchObject({ status: 'parked', lines: [{ sku, productId: null, allocated: 0 }] });
    expect(await orders.parkedCount(ch)).toBe(1);
    expect((await orders.list({ channelId: ch, status: 'parked' })).items.map((o) => o.id)).toEqual([first.order.id]);
    await expect(orders.retry(first.order.id)).rejects.toMatchObject({ rule: 'order-parked' });
    // A repeat delivery while unresolved keeps it parked.
    expect((await orders.record({ channelId: ch, externalId: `P-${seq}`, lines: [{ sku, quantity: 3 }] })).order.status).toBe('parked');

    await f.listings.connect(ch, { sku, productId: p.id });
    expect(await orders.retryResolvable()).toEqual({ recorded: 1 });
    const recorded = await orders.get(first.order.id);
    expect(recorded).toMatchObject({ id: first.order.id, externalId: `P-${seq}`, status: 'open', parkedReason: null, warehouseId: w.id, lines: [{ sku, productId: p.id, allocated: 3 }] });
    expect(await allocated(p.id)).toBe(3);
    // Retry, repeat delivery and another sweep allocate nothing more.
    await orders.retry(first.order.id);
    await orders.record({ channelId: ch, externalId: `P-${seq}`, lines: [{ sku, quantity: 3 }] });
    expect(await orders.retryResolvable()).toEqual({ recorded: 0 });
    expect(await allocated(p.id)).toBe(3);
    expect(await orders.parkedCount(ch)).toBe(0);
  });

  it('records a parked order through retry once a product with its SKU exists', async () => {
    const ch = await channel();
    const sku = `NEW-${tag()}`;
    const { order } = await orders.record({ channelId: ch, externalId: `R-${seq}`, lines: [{ sku, quantity: 1 }] });
    const p = await stock(1, sku);
    expect(await orders.retry(order.id)).toMatchObject({ status: 'open', lines: [{ productId: p.id, allocated: 1 }] });
    expect(await allocated(p.id)).toBe(1);
  });

  it('parks the orders of a channel without an allocation warehouse until one is set', async () => {
    const ch = await channel(false);
    const p = await stock(4);
    const { order } = await orders.record({ channelId: ch, externalId: `W-${seq}`, lines: [{ sku: p.sku, quantity: 1 }] });
    expect(order).toMatchObject({ status: 'parked', lines: [{ productId: p.id, allocated: 0 }] });
    expect(order.parkedReason).toContain('allocationWarehouseId');
    expect(await orders.retryResolvable()).toEqual({ recorded: 0 });
    await f.channels.update(ch, { allocationWarehouseId: w.id });
    expect(await orders.retryResolvable()).toEqual({ recorded: 1 });
    expect(await allocated(p.id)).toBe(1);
  });

  it('whatever the order of repeats, retries, sweeps (also at once) and the connection, a parked order is allocated exactly once, after it resolves', async () => {
    const step = fc.constantFrom('repeat', 'retry', 'sweep', 'connect', 'burst');
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        const ch = await channel();
        const p = await stock(50);
        const sku = `PROP-${seq}`;
        const input = { channelId: ch, externalId: `F-${seq}`, lines: [{ sku, quantity: 4 }] };
        const { order } = await orders.record(input);
        const retry = () => orders.retry(order.id).catch((e: unknown) => expect(e).toMatchObject({ rule: 'order-parked' }));
        let connected = false;
        for (const s of steps) {
          if (s === 'connect' && !connected) {
            await f.listings.connect(ch, { sku, productId: p.id });
            connected = true;
          } else if (s === 'repeat') await orders.record(input);
          else if (s === 'retry') await retry();
          else if (s === 'sweep') await orders.retryResolvable();
          else if (s === 'burst') await Promise.all([orders.record(input), retry(), orders.retryResolvable(), retry()]);
          expect([0, 4]).toContain(await allocated(p.id));
          if (!connected) expect(await allocated(p.id)).toBe(0);
        }
        await orders.retryResolvable();
        expect(await allocated(p.id)).toBe(connected ? 4 : 0);
        expect((await orders.get(order.id)).status).toBe(connected ? 'open' : 'parked');
      }),
      { numRuns: 12 },
    );
  });

  it('cancels a parked order (nothing to release) and keeps a new closed order with an unknown SKU as it is', async () => {
    const ch = await channel();
    const { order } = await orders.record({ channelId: ch, externalId: `C-${seq}`, lines: [{ sku: `X-${seq}`, quantity: 1 }] });
    expect((await orders.record({ channelId: ch, externalId: `C-${seq}`, lines: [{ sku: `X-${seq}`, quantity: 1 }], status: 'cancelled' })).order.status).toBe('cancelled');
    expect((await orders.get(order.id)).parkedReason).toBeNull();
    const closed = await orders.record({ channelId: ch, externalId: `K-${seq}`, lines: [{ sku: `Y-${seq}`, quantity: 1 }], status: 'cancelled' });
    expect(closed.order).toMatchObject({ status: 'cancelled', lines: [{ productId: null }] });
    await expect(orders.ship(order.id)).rejects.toBeInstanceOf(RuleViolationError);
  });

  it('lists newest first in pages, filtered by channel, status and creation time; bad filters are refused', async () => {
    const ch = await channel();
    const p = await stock(100);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await orders.record({ channelId: ch, externalId: `G-${seq}-${i}`, lines: [{ sku: i % 2 ? `NONE-${seq}` : p.sku, quantity: 1 }] })).order.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await orders.list({ channelId: ch, limit: 2, cursor });
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await orders.list({ channelId: ch, status: 'parked' })).items).toHaveLength(2);
    expect((await orders.list({ channelId: ch, status: 'open' })).items).toHaveLength(3);
    expect((await orders.list({ channelId: ch, createdFrom: '2999-01-01T00:00:00Z' })).items).toHaveLength(0);
    expect((await orders.list({ channelId: ch, createdTo: '2999-01-01T00:00:00Z' })).items).toHaveLength(5);
    for (const bad of [{ status: 'lost' }, { createdFrom: 'yesterday' }, { createdFrom: '2026-02-01T00:00:00Z', createdTo: '2026-01-01T00:00:00Z' }, { cursor: 'nope' }, { limit: 0 }]) {
      await expect(orders.list({ channelId: ch, ...(bad as object) })).rejects.toBeInstanceOf(InvalidInputError);
    }
  });
});
