import { checkSku, skuKey } from '@invsync/domain-catalog';
import { ChannelEntity } from '@invsync/domain-channels';
import { InvalidInputError, isUniqueViolation, newId, NotFoundError, nowIso, type Page, RuleViolationError, type TransactionRunner } from '@invsync/domain-shared';
import type { StockLedgerService } from '@invsync/domain-stock';
import type { EntityManager } from 'typeorm';
import { OrderEntity, OrderLineEntity, type OrderStatus } from './order.entity';
import { countParked, listOrders, type ListOrdersQuery, orderViews, type OrderView, resolvableParked } from './order-queries';
import { parkedReason, type Resolution, resolveOrder } from './parking';

export type { ListOrdersQuery, OrderLineView, OrderView } from './order-queries';

export const MAX_ORDER_LINES = 500;
export const MAX_LINE_QUANTITY = 100_000;

export interface RecordOrderInput {
  channelId: string;
  externalId: string;
  lines: { sku: string; quantity: number }[];
  /** `cancelled`/`shipped` for an order already recorded moves it on; a new one starts there. */
  status?: Exclude<OrderStatus, 'parked'>;
  fulfilledByChannel?: boolean;
  actor?: string;
}

/**
 * Orders: recorded once per (channel, external id). A line's SKU resolves through the channel's
 * listings, then the product SKUs; an open order whose SKUs do not all resolve, or whose channel
 * cannot allocate, is kept `parked` (allocating nothing) until they do: a repeat delivery, `retry` or
 * `retryResolvable` (after a listing, product or setting appears) records it then. A recorded order
 * allocates from the channel's allocation warehouse in the same transaction (bundles allocate their
 * components; what is missing is backordered), and is shipped or cancelled later. Every write declares
 * `orders`; allocation lowers on hand, which the ledger declares (`onHand`).
 */
export class OrderService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: StockLedgerService,
  ) {}

  /** Returns the order and whether this call created it (a repeat allocates nothing twice). */
  async record(input: RecordOrderInput): Promise<{ order: OrderView; created: boolean }> {
    const externalId = checkInput(input);
    const attempt = () =>
      this.tx.run(async (em) => {
        const existing = await em.getRepository(OrderEntity).findOneBy({ channelId: input.channelId, externalId });
        if (existing) {
          if (input.status === 'cancelled' && (existing.status === 'open' || existing.status === 'parked')) await this.cancelIn(em, existing, input.actor);
          else if (existing.status === 'parked') {
            // A repeat delivery re-tries the parking; a shipment is applied once the order is recorded.
            const recorded = await this.recordParkedIn(em, existing, input.actor);
            if (recorded && input.status === 'shipped') await this.shipIn(em, await this.mustGet(em, existing.id), input.actor);
          } else if (input.status === 'shipped' && existing.status === 'open') await this.shipIn(em, existing, input.actor);
          return { order: await this.view(em, existing.id), created: false };
        }
        return { order: await this.createIn(em, { ...input, externalId }), created: true };
      });
    try {
      return await attempt();
    } catch (e) {
      // Two first deliveries of one order at once (PostgreSQL): the loser answers the winner's order.
      if (isUniqueViolation(e, 'uq_sales_order')) return attempt();
      throw e;
    }
  }

  /**
   * Records a parked order now if its SKUs and channel allow it (RuleViolationError `order-parked`
   * with the reason if not). Any other order is answered as it is: nothing is allocated twice.
   */
  async retry(orderId: string, actor?: string): Promise<OrderView> {
    return this.tx.run(async (em) => {
      const order = await this.mustGet(em, orderId);
      if (order.status === 'parked' && !(await this.recordParkedIn(em, order, actor))) {
        const now = await this.mustGet(em, orderId);
        if (now.status === 'parked') throw new RuleViolationError(`Order ${order.externalId} is still parked: ${now.parkedReason}`, 'order-parked', { orderId });
      }
      return this.view(em, order.id);
    });
  }

  /**
   * Records every parked order that resolves now (each in its own transaction), e.g. after a listing
   * was connected, a product created or an allocation warehouse set. Returns how many were recorded.
   */
  async retryResolvable(opts: { batch?: number } = {}): Promise<{ recorded: number }> {
    const batch = opts.batch ?? 200;
    let recorded = 0;
    let after = '';
    for (;;) {
      const ids = await this.tx.read((em) => resolvableParked(em, after, batch));
      for (const id of ids) {
        const done = await this.tx.run(async (em) => {
          const order = await em.getRepository(OrderEntity).findOneBy({ id });
          return order?.status === 'parked' ? this.recordParkedIn(em, order, 'parked-order-sweep') : false;
        });
        if (done) recorded++;
      }
      if (ids.length < batch) return { recorded };
      after = ids[ids.length - 1];
    }
  }

  async list(query: ListOrdersQuery): Promise<Page<OrderView>> {
    return this.tx.read((em) => listOrders(em, query));
  }

  /** How many orders are parked, on one channel or all. */
  async parkedCount(channelId?: string): Promise<number> {
    return this.tx.read((em) => countParked(em, channelId));
  }

  private async createIn(em: EntityManager, input: RecordOrderInput): Promise<OrderView> {
    const channel = await em.getRepository(ChannelEntity).findOneBy({ id: input.channelId });
    if (!channel) throw new NotFoundError(`No channel with id "${input.channelId}".`);
    const byChannel = input.fulfilledByChannel ?? channel.fulfilment === 'channel';
    const lines = input.lines.map((l) => ({ sku: l.sku.trim(), key: skuKey(l.sku), quantity: l.quantity }));
    const resolution = await resolveOrder(em, channel, lines, byChannel);
    if (resolution.parents.length) {
      throw new RuleViolationError(`SKU ${resolution.parents.join(', ')} is a parent product and cannot be sold; order a variant.`, 'parent-not-sellable');
    }
    // Only an open order needs its products now; one that arrives already closed is kept as it is.
    const status: OrderStatus = (input.status ?? 'open') === 'open' && !resolution.ok ? 'parked' : (input.status ?? 'open');
    const now = nowIso();
    const order: OrderEntity = {
      id: newId(),
      channelId: channel.id,
      externalId: input.externalId,
      status,
      fulfilledByChannel: byChannel,
      warehouseId: null,
      parkedReason: status === 'parked' ? parkedReason(channel, resolution) : null,
      createdAt: now,
      updatedAt: now,
    };
    await em.getRepository(OrderEntity).insert(order);
    this.tx.changed('orders');
    await em.getRepository(OrderLineEntity).insert(
      lines.map((l, i) => ({ id: newId(), orderId: order.id, lineNo: i + 1, sku: l.sku, skuKey: l.key, productId: resolution.products.get(l.key)?.productId ?? null, quantity: l.quantity, allocated: 0, backordered: 0 })),
    );
    if (status === 'open' && !byChannel) await this.allocateIn(em, order, channel, resolution, input.actor);
    return this.view(em, order.id);
  }

  /** Records a parked order if it resolves now (true), else refreshes its reason (false). */
  private async recordParkedIn(em: EntityManager, order: OrderEntity, actor?: string): Promise<boolean> {
    const channel = (await em.getRepository(ChannelEntity).findOneBy({ id: order.channelId }))!;
    const lines = (await this.lines(em, order.id)).map((l) => ({ sku: l.sku, key: l.skuKey ?? skuKey(l.sku), quantity: l.quantity }));
    const resolution = await resolveOrder(em, channel, lines, order.fulfilledByChannel);
    if (!resolution.ok || resolution.parents.length) {
      const reason = parkedReason(channel, resolution);
      if (reason !== order.parkedReason) await em.getRepository(OrderEntity).update({ id: order.id }, { parkedReason: reason, updatedAt: nowIso() });
      return false;
    }
    // Compare-and-set: of two instances retrying one order, only the first allocates.
    const won = await em.getRepository(OrderEntity).update({ id: order.id, status: 'parked' }, { status: 'open', parkedReason: null, updatedAt: nowIso() });
    if (!won.affected) return false;
    this.tx.changed('orders');
    for (const line of await this.lines(em, order.id)) {
      await em.getRepository(OrderLineEntity).update({ id: line.id }, { productId: resolution.products.get(line.skuKey ?? skuKey(line.sku))!.productId });
    }
    if (!order.fulfilledByChannel) await this.allocateIn(em, order, channel, resolution, actor);
    return true;
  }

  private async allocateIn(em: EntityManager, order: OrderEntity, channel: ChannelEntity, resolution: Resolution, actor?: string): Promise<void> {
    const warehouseId = channel.allocationWarehouseId!;
    await em.getRepository(OrderEntity).update({ id: order.id }, { warehouseId });
    for (const line of await this.lines(em, order.id)) {
      const product = resolution.products.get(line.skuKey ?? skuKey(line.sku))!;
      const r = await this.ledger.allocate(
        { productId: product.productId, warehouseId, quantity: line.quantity, cause: { type: 'order', id: order.id, actor: actor ?? null }, reason: `order ${order.externalId}` },
        em,
      );
      await em.getRepository(OrderLineEntity).update({ id: line.id }, { allocated: r.allocated, backordered: line.quantity - r.allocated });
    }
  }

  async ship(orderId: string, actor?: string): Promise<OrderView> {
    return this.tx.run(async (em) => {
      const order = await this.mustGet(em, orderId);
      if (order.status !== 'open') throw new RuleViolationError(`Order ${order.externalId} is ${order.status}; only an open order can be shipped.`, 'order-not-open');
      await this.shipIn(em, order, actor);
      return this.view(em, order.id);
    });
  }

  /** Cancels an open order (releasing its allocation) or a parked one (nothing allocated). */
  async cancel(orderId: string, actor?: string): Promise<OrderView> {
    return this.tx.run(async (em) => {
      const order = await this.mustGet(em, orderId);
      if (order.status !== 'open' && order.status !== 'parked') {
        throw new RuleViolationError(`Order ${order.externalId} is ${order.status}; only an open or parked order can be cancelled.`, 'order-not-open');
      }
      await this.cancelIn(em, order, actor);
      return this.view(em, order.id);
    });
  }

  async get(orderId: string): Promise<OrderView> {
    return this.tx.read(async (em) => this.view(em, (await this.mustGet(em, orderId)).id));
  }

  /** Shipping lowers in stock and allocated together for what was allocated (on hand unchanged). */
  private async shipIn(em: EntityManager, order: OrderEntity, actor?: string): Promise<void> {
    for (const line of await this.lines(em, order.id)) {
      if (line.allocated > 0 && order.warehouseId && line.productId) {
        await this.ledger.ship({ productId: line.productId, warehouseId: order.warehouseId, quantity: line.allocated, cause: { type: 'order', id: order.id, actor: actor ?? null }, reason: `order ${order.externalId} shipped` }, em);
      }
    }
    await em.getRepository(OrderEntity).update({ id: order.id }, { status: 'shipped', updatedAt: nowIso() });
    this.tx.changed('orders');
  }

  /** Cancelling releases what was allocated (on hand rises). */
  private async cancelIn(em: EntityManager, order: OrderEntity, actor?: string): Promise<void> {
    for (const line of await this.lines(em, order.id)) {
      if (line.allocated > 0 && order.warehouseId && line.productId) {
        await this.ledger.deallocate(
          { productId: line.productId, warehouseId: order.warehouseId, quantity: line.allocated, cause: { type: 'order', id: order.id, actor: actor ?? null }, reason: `order ${order.externalId} cancelled` },
          em,
        );
      }
    }
    await em.getRepository(OrderEntity).update({ id: order.id }, { status: 'cancelled', parkedReason: null, updatedAt: nowIso() });
    this.tx.changed('orders');
  }

  private lines(em: EntityManager, orderId: string) {
    return em.getRepository(OrderLineEntity).find({ where: { orderId }, order: { lineNo: 'ASC' } });
  }

  private async mustGet(em: EntityManager, id: string): Promise<OrderEntity> {
    const o = await em.getRepository(OrderEntity).findOneBy({ id });
    if (!o) throw new NotFoundError(`No order with id "${id}".`);
    return o;
  }

  private async view(em: EntityManager, id: string): Promise<OrderView> {
    return (await orderViews(em, [await this.mustGet(em, id)]))[0];
  }
}

function checkInput(input: RecordOrderInput): string {
  const problems: string[] = [];
  const externalId = typeof input.externalId === 'string' ? input.externalId.trim() : '';
  if (!externalId || externalId.length > 200) problems.push('externalId must be 1 to 200 characters');
  if (input.status !== undefined && !['open', 'shipped', 'cancelled'].includes(input.status)) problems.push('status must be open, shipped or cancelled');
  if (!Array.isArray(input.lines) || input.lines.length < 1 || input.lines.length > MAX_ORDER_LINES) problems.push(`lines must have 1 to ${MAX_ORDER_LINES} entries`);
  (Array.isArray(input.lines) ? input.lines : []).forEach((l, i) => {
    if (!Number.isInteger(l?.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY) problems.push(`lines[${i}].quantity must be an integer from 1 to ${MAX_LINE_QUANTITY}`);
    // The SKU rule of listings and products: a SKU breaking it could never resolve.
    const sku = checkSku(l?.sku, `lines[${i}].sku`);
    if ('problems' in sku) problems.push(...sku.problems);
  });
  if (problems.length) throw new InvalidInputError(problems);
  return externalId;
}
