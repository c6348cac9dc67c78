import type { ChannelEntity } from '@invsync/domain-channels';
import type { EntityManager } from 'typeorm';
import { type ResolvedSku, resolveSkus } from './line-resolution';

export interface Resolution {
  /** Resolved products by SKU key. */
  products: Map<string, ResolvedSku>;
  /** SKUs (as given) with neither a listing on the channel nor a product. */
  unresolved: string[];
  /** SKUs (as given) naming a parent product, which cannot be sold. */
  parents: string[];
  /** The order would allocate but the channel has no allocation warehouse. */
  noAllocationWarehouse: boolean;
  /** Every line resolves to a sellable product and the order can be allocated. */
  ok: boolean;
}

/** Resolves an order's lines on its channel and says whether it can be recorded now. */
export async function resolveOrder(em: EntityManager, channel: ChannelEntity, lines: { sku: string; key: string }[], byChannel: boolean): Promise<Resolution> {
  const products = await resolveSkus(em, channel.id, lines.map((l) => l.key));
  const unresolved = unique(lines.filter((l) => !products.has(l.key)).map((l) => l.sku));
  const parents = unique(lines.filter((l) => products.get(l.key)?.kind === 'parent').map((l) => l.sku));
  const noAllocationWarehouse = !byChannel && !channel.allocationWarehouseId;
  return { products, unresolved, parents, noAllocationWarehouse, ok: !unresolved.length && !parents.length && !noAllocationWarehouse };
}

/** Why the order is parked and what resolves it, in the domain's words (the host adds nothing). */
export function parkedReason(channel: ChannelEntity, r: Resolution): string {
  const parts: string[] = [];
  if (r.unresolved.length) {
    parts.push(
      `No listing on channel "${channel.name}" and no product has SKU ${r.unresolved.map((s) => `"${s}"`).join(', ')}: connect a listing with that SKU to its product, or create a product with that SKU.`,
    );
  }
  if (r.parents.length) parts.push(`SKU ${r.parents.map((s) => `"${s}"`).join(', ')} is a parent product, which cannot be sold: connect a listing with that SKU to a variant.`);
  if (r.noAllocationWarehouse) parts.push(`Channel "${channel.name}" has no allocation warehouse: set its allocationWarehouseId setting.`);
  parts.push('The order is then recorded and allocated.');
  return parts.join(' ');
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
