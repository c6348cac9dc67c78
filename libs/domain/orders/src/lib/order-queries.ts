import { ProductEntity } from '@invsync/domain-catalog';
import { ChannelEntity, ListingEntity } from '@invsync/domain-channels';
import { decodeCursor, encodeCursor, InvalidInputError, type Page, pageSize, tableRef } from '@invsync/domain-shared';
import type { EntityManager } from 'typeorm';
import { ORDER_STATUSES, OrderEntity, OrderLineEntity, type OrderStatus } from './order.entity';

export interface OrderLineView {
  /** The SKU as the channel gave it. */
  sku: string;
  /** The product it resolved to (a listing of the channel, else the product SKU); null while unresolved. */
  productId: string | null;
  quantity: number;
  allocated: number;
  backordered: number;
}

export interface OrderView {
  id: string;
  channelId: string;
  externalId: string;
  status: OrderStatus;
  /** Set while `parked`: which SKUs or setting the order waits for, and what resolves it. */
  parkedReason: string | null;
  fulfilledByChannel: boolean;
  warehouseId: string | null;
  lines: OrderLineView[];
  createdAt: string;
  updatedAt: string;
}

export interface ListOrdersQuery {
  channelId?: string;
  status?: OrderStatus;
  /** ISO 8601 instants: created at or after `createdFrom`, before `createdTo`. */
  createdFrom?: string;
  createdTo?: string;
  limit?: number;
  cursor?: string;
}

/** The orders' views, lines included, in the given order. */
export async function orderViews(em: EntityManager, orders: OrderEntity[]): Promise<OrderView[]> {
  if (!orders.length) return [];
  const lines = await em
    .getRepository(OrderLineEntity)
    .createQueryBuilder('l')
    .where('l.order_id IN (:...ids)', { ids: orders.map((o) => o.id) })
    .orderBy('l.order_id')
    .addOrderBy('l.line_no')
    .getMany();
  const byOrder = new Map<string, OrderLineEntity[]>();
  for (const l of lines) byOrder.set(l.orderId, [...(byOrder.get(l.orderId) ?? []), l]);
  return orders.map((o) => ({
    id: o.id,
    channelId: o.channelId,
    externalId: o.externalId,
    status: o.status,
    parkedReason: o.status === 'parked' ? o.parkedReason : null,
    fulfilledByChannel: !!o.fulfilledByChannel,
    warehouseId: o.warehouseId,
    lines: (byOrder.get(o.id) ?? []).map((l) => ({ sku: l.sku, productId: l.productId, quantity: l.quantity, allocated: l.allocated, backordered: l.backordered })),
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  }));
}

/** Newest first, paged by (created at, id). Bad filters are InvalidInputError. */
export async function listOrders(em: EntityManager, q: ListOrdersQuery): Promise<Page<OrderView>> {
  const problems: string[] = [];
  if (q.status !== undefined && !ORDER_STATUSES.includes(q.status)) problems.push(`status must be one of ${ORDER_STATUSES.join(', ')}`);
  const from = instant(q.createdFrom, 'createdFrom', problems);
  const to = instant(q.createdTo, 'createdTo', problems);
  if (from && to && from > to) problems.push('createdFrom must not be after createdTo');
  if (problems.length) throw new InvalidInputError(problems);
  const size = pageSize(q.limit);
  const qb = em.getRepository(OrderEntity).createQueryBuilder('o').orderBy('o.created_at', 'DESC').addOrderBy('o.id', 'DESC').take(size + 1);
  if (q.channelId) qb.andWhere('o.channel_id = :channelId', { channelId: q.channelId });
  if (q.status) qb.andWhere('o.status = :status', { status: q.status });
  if (from) qb.andWhere('o.created_at >= :from', { from });
  if (to) qb.andWhere('o.created_at < :to', { to });
  if (q.cursor) {
    const [at, id] = decodeCursor<[string, string]>(q.cursor, ['string', 'string']);
    qb.andWhere('(o.created_at < :at OR (o.created_at = :at AND o.id < :id))', { at, id });
  }
  const rows = await qb.getMany();
  const page = rows.slice(0, size);
  const last = page[page.length - 1];
  return { items: await orderViews(em, page), nextCursor: rows.length > size ? encodeCursor([last.createdAt, last.id]) : null };
}

/** Parked orders, of one channel or all. */
export function countParked(em: EntityManager, channelId?: string): Promise<number> {
  return em.getRepository(OrderEntity).countBy(channelId ? { status: 'parked', channelId } : { status: 'parked' });
}

/**
 * Parked orders that would be recorded now: every line's SKU has a listing on the order's channel or
 * a sellable product, and the channel can allocate (or fulfils the order itself). Paged by id.
 */
export async function resolvableParked(em: EntityManager, afterId: string, limit: number): Promise<string[]> {
  const [line, listing, product, channel] = [OrderLineEntity, ListingEntity, ProductEntity, ChannelEntity].map((e) => tableRef(em, e));
  const rows = await em
    .getRepository(OrderEntity)
    .createQueryBuilder('o')
    .select('o.id', 'id')
    .where(`o.status = 'parked'`)
    .andWhere('o.id > :afterId', { afterId })
    .andWhere(`(o.fulfilled_by_channel = :yes OR EXISTS (SELECT 1 FROM ${channel} c WHERE c.id = o.channel_id AND c.allocation_warehouse_id IS NOT NULL))`, { yes: true })
    .andWhere(
      `NOT EXISTS (SELECT 1 FROM ${line} l WHERE l.order_id = o.id
         AND NOT EXISTS (SELECT 1 FROM ${listing} li WHERE li.channel_id = o.channel_id AND li.sku_key = l.sku_key)
         AND NOT EXISTS (SELECT 1 FROM ${product} p WHERE p.sku_key = l.sku_key AND p.kind <> 'parent'))`,
    )
    .orderBy('o.id')
    .limit(limit)
    .getRawMany<{ id: string }>();
  return rows.map((r) => r.id);
}

function instant(value: string | undefined, field: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  const t = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) {
    problems.push(`${field} must be an ISO 8601 date-time (e.g. 2026-12-01T00:00:00Z)`);
    return undefined;
  }
  return new Date(t).toISOString();
}
