import { chunk, MAX_SQL_PARAMS, queryNamed, tableRef } from '@invsync/domain-shared';
import { ListingEntity, type RecordedSalesSource } from '@invsync/domain-channels';
import type { EntityManager } from 'typeorm';
import { OrderEntity, OrderLineEntity } from './order.entity';

/**
 * Units of the orders recorded for a listing after its sold basis was read: orders of any channel
 * sharing its quantity (same pool and SKU), lines of the listing's product, not parked (nothing
 * allocated yet: its units are still unrecorded on hand), not cancelled (a
 * cancellation gives the units back on the channel too), not fulfilled by the channel.
 */
export class RecordedSales implements RecordedSalesSource {
  async unitsSinceBasis(em: EntityManager, listingIds: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (!listingIds.length) return out;
    const l = tableRef(em, ListingEntity);
    const o = tableRef(em, OrderEntity);
    const ol = tableRef(em, OrderLineEntity);
    for (const ids of chunk(listingIds, MAX_SQL_PARAMS - 10)) {
      const rows = (await queryNamed(
        em,
        `SELECT l.id AS id, SUM(ol.quantity) AS units
           FROM ${l} l
           JOIN ${l} p ON p.quantity_pool = l.quantity_pool AND p.sku_key = l.sku_key
           JOIN ${o} o ON o.channel_id = p.channel_id AND o.created_at > l.sold_basis_at AND o.status NOT IN ('cancelled', 'parked') AND o.fulfilled_by_channel = false
           JOIN ${ol} ol ON ol.order_id = o.id AND ol.product_id = l.product_id
          WHERE l.id IN (:...ids) AND l.sold_basis_at IS NOT NULL
          GROUP BY l.id`,
        { ids },
      )) as { id: string; units: number | string }[];
      for (const r of rows) out.set(r.id, Number(r.units));
    }
    return out;
  }
}
