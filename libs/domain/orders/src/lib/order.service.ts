import { ProductEntity, skuKey } from '@invsync/domain-catalog';
import { ChannelEntity } from '@invsync/domain-channels';
import { InvalidInputError, isUniqueViolation, newId, NotFoundError, nowIso, RuleViolationError, type TransactionRunner } from '@invsync/domain-shared';
import type { StockLedgerService } from '@invsync/domain-stock';
import { type EntityManager, In } from 'typeorm';
import { OrderEntity, OrderLineEntity, type OrderStatus } from './order.entity';

export const MAX_ORDER_LINES = 500;
export const MAX_LINE_QUANTITY = 100_000;

export interface RecordOrderInput {
  channelId: string;
  externalId: string;
  lines: { sku: string; quantity: number }[];
  /** `cancelled`/`shipped` for an order already recorded moves it on; a new one starts there. */
  status?: OrderStatus;
  fulfilledByChannel?: boolean;
  actor?: string;
}

export interface OrderView {
  id: string;
  channelId: string;
  externalId: string;
  status: OrderStatus;
  fulfilledByChannel: boolean;
  warehouseId: string | null;
  lines: { sku: string; productId: string; quantity: number; allocated: number; backordered: number }[];
  createdAt: string;
  updatedAt: string;
}

/**
 * Orders: recorded once per (channel, external id), allocated from the channel's allocation
 * warehouse in the same transaction (bundles allocate their components; what is missing is
 * backordered), shipped or cancelled later. Every write declares `orders` to the transaction
 * runner; allocation lowers on hand, which the ledger declares (`onHand`) like any other stock change.
 */
export class OrderService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly ledger: StockLedgerService,
  ) {}

  /** Returns the order and whether this call created it (a repeat allocates nothing twice). */
  async record(input: RecordOrderInput): Promise<{ order: OrderView; created: boolean }> {
    const problems: string[] = [];
    const externalId = typeof input.externalId === 'string' ? input.externalId.trim() : '';
    if (!externalId || externalId.length > 200) problems.push('externalId must be 1 to 200 characters');
    if (!Array.isArray(input.lines) || input.lines.length < 1 || input.lines.length > MAX_ORDER_LINES) problems.push(`lines must have 1 to ${MAX_ORDER_LINES} entries`);
    (input.lines ?? []).forEach((l, i) => {
      if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > MAX_LINE_QUANTITY) problems.push(`lines[${i}].quantity must be an integer from 1 to ${MAX_LINE_QUANTITY}`);
      if (typeof l.sku !== 'string' || !l.sku.trim()) problems.push(`lines[${i}].sku must be a non-empty string`);
    });
    if (problems.length) throw new InvalidInputError(problems);
    const attempt = () =>
      this.tx.run(async (em) => {
        const existing = await em.getRepository(OrderEntity).findOneBy({ channelId: input.channelId, externalId });
        if (existing) {
          if (input.status === 'cancelled' && existing.status === 'open') await this.cancelIn(em, existing, input.actor);
          else if (input.status === 'shipped' && existing.status === 'open') await this.shipIn(em, existing, input.actor);
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

  private async createIn(em: EntityManager, input: RecordOrderInput): Promise<OrderView> {
    const channel = await em.getRepository(ChannelEntity).findOneBy({ id: input.channelId });
    if (!channel) throw new NotFoundError(`No channel with id "${input.channelId}".`);
    const byChannel = input.fulfilledByChannel ?? channel.fulfilment === 'channel';
    const keys = [...new Set(input.lines.map((l) => skuKey(l.sku)))];
    const products = new Map((await em.getRepository(ProductEntity).findBy({ skuKey: In(keys) })).map((p) => [p.skuKey, p]));
    const unknown = input.lines.filter((l) => !products.has(skuKey(l.sku))).map((l) => l.sku);
    if (unknown.length) throw new NotFoundError(`No product with SKU ${unknown.map((s) => `"${s}"`).join(', ')}: create the product or fix the order's SKU.`);
    const parents = input.lines.filter((l) => products.get(skuKey(l.sku))!.kind === 'parent').map((l) => l.sku);
    if (parents.length) throw new RuleViolationError(`SKU ${parents.join(', ')} is a parent product and cannot be sold; order a variant.`, 'parent-not-sellable');
    const status = input.status ?? 'open';
    const allocating = !byChannel && status === 'open';
    if (allocating && !channel.allocationWarehouseId) {
      throw new RuleViolationError(
        `Channel "${channel.name}" has no allocation warehouse, so its orders cannot be allocated.`,
        'allocation-warehouse-required',
      ).withRemedy({ action: 'set-channel-setting', params: { channelId: channel.id, setting: 'allocationWarehouseId' } });
    }
    const now = nowIso();
    const order: OrderEntity = {
      id: newId(),
      channelId: channel.id,
      externalId: input.externalId,
      status,
      fulfilledByChannel: byChannel,
      warehouseId: allocating ? channel.allocationWarehouseId : null,
      createdAt: now,
      updatedAt: now,
    };
    await em.getRepository(OrderEntity).insert(order);
    this.tx.changed('orders');
    const lines: OrderLineEntity[] = [];
    for (const [i, l] of input.lines.entries()) {
      const product = products.get(skuKey(l.sku))!;
      let allocated = 0;
      if (allocating) {
        const r = await this.ledger.allocate(
          { productId: product.id, warehouseId: channel.allocationWarehouseId!, quantity: l.quantity, cause: { type: 'order', id: order.id, actor: input.actor ?? null }, reason: `order ${input.externalId}` },
          em,
        );
        allocated = r.allocated;
      }
      lines.push({ id: newId(), orderId: order.id, lineNo: i + 1, sku: l.sku.trim(), productId: product.id, quantity: l.quantity, allocated, backordered: allocating ? l.quantity - allocated : 0 });
    }
    await em.getRepository(OrderLineEntity).insert(lines);
    return this.view(em, order.id);
  }

  async ship(orderId: string, actor?: string): Promise<OrderView> {
    return this.tx.run(async (em) => {
      const order = await this.mustGet(em, orderId);
      if (order.status !== 'open') throw new RuleViolationError(`Order ${order.externalId} is ${order.status}; only an open order can be shipped.`, 'order-not-open');
      await this.shipIn(em, order, actor);
      return this.view(em, order.id);
    });
  }

  async cancel(orderId: string, actor?: string): Promise<OrderView> {
    return this.tx.run(async (em) => {
      const order = await this.mustGet(em, orderId);
      if (order.status !== 'open') throw new RuleViolationError(`Order ${order.externalId} is ${order.status}; only an open order can be cancelled.`, 'order-not-open');
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
      if (line.allocated > 0 && order.warehouseId) {
        await this.ledger.ship({ productId: line.productId, warehouseId: order.warehouseId, quantity: line.allocated, cause: { type: 'order', id: order.id, actor: actor ?? null }, reason: `order ${order.externalId} shipped` }, em);
      }
    }
    await em.getRepository(OrderEntity).update({ id: order.id }, { status: 'shipped', updatedAt: nowIso() });
    this.tx.changed('orders');
  }

  /** Cancelling releases what was allocated (on hand rises). */
  private async cancelIn(em: EntityManager, order: OrderEntity, actor?: string): Promise<void> {
    for (const line of await this.lines(em, order.id)) {
      if (line.allocated > 0 && order.warehouseId) {
        await this.ledger.deallocate(
          { productId: line.productId, warehouseId: order.warehouseId, quantity: line.allocated, cause: { type: 'order', id: order.id, actor: actor ?? null }, reason: `order ${order.externalId} cancelled` },
          em,
        );
      }
    }
    await em.getRepository(OrderEntity).update({ id: order.id }, { status: 'cancelled', updatedAt: nowIso() });
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
    const o = (await em.getRepository(OrderEntity).findOneBy({ id }))!;
    const lines = await this.lines(em, id);
    return {
      id: o.id,
      channelId: o.channelId,
      externalId: o.externalId,
      status: o.status,
      fulfilledByChannel: !!o.fulfilledByChannel,
      warehouseId: o.warehouseId,
      lines: lines.map((l) => ({ sku: l.sku, productId: l.productId, quantity: l.quantity, allocated: l.allocated, backordered: l.backordered })),
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
    };
  }
}
