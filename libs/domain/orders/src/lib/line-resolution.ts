import { ProductEntity, type ProductKind } from '@invsync/domain-catalog';
import { ListingEntity } from '@invsync/domain-channels';
import { type EntityManager, In } from 'typeorm';

/** What an order line's SKU stands for, and how it was found. */
export interface ResolvedSku {
  productId: string;
  kind: ProductKind;
  via: 'listing' | 'product';
}

export interface SkuTarget {
  productId: string;
  kind: ProductKind;
}

/**
 * The resolution rule: a channel's order names the channel's own SKU, so the listing connected on
 * that channel decides first (a channel is one marketplace: channel + SKU is one listing); a SKU
 * without a listing falls back to the product with that SKU. Keys follow the SKU rule (`skuKey`).
 */
export function resolveSku(key: string, listings: ReadonlyMap<string, SkuTarget>, products: ReadonlyMap<string, SkuTarget>): ResolvedSku | undefined {
  const listed = listings.get(key);
  if (listed) return { ...listed, via: 'listing' };
  const product = products.get(key);
  return product ? { ...product, via: 'product' } : undefined;
}

/** Resolves SKU keys for one channel: its listings first, then the catalog (see `resolveSku`). */
export async function resolveSkus(em: EntityManager, channelId: string, keys: string[]): Promise<Map<string, ResolvedSku>> {
  const unique = [...new Set(keys)];
  const out = new Map<string, ResolvedSku>();
  if (!unique.length) return out;
  const listingRows = await em.getRepository(ListingEntity).find({ where: { channelId, skuKey: In(unique) }, select: { skuKey: true, productId: true } });
  const listedProducts = listingRows.length ? await em.getRepository(ProductEntity).findBy({ id: In([...new Set(listingRows.map((l) => l.productId))]) }) : [];
  const byKey = await em.getRepository(ProductEntity).findBy({ skuKey: In(unique) });
  const kindOf = new Map(listedProducts.map((p) => [p.id, p.kind]));
  const listings = new Map<string, SkuTarget>();
  for (const l of listingRows) {
    const kind = kindOf.get(l.productId);
    if (kind) listings.set(l.skuKey, { productId: l.productId, kind });
  }
  const products = new Map<string, SkuTarget>(byKey.map((p) => [p.skuKey, { productId: p.id, kind: p.kind }]));
  for (const key of unique) {
    const r = resolveSku(key, listings, products);
    if (r) out.set(key, r);
  }
  return out;
}
