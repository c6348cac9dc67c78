import { checkSku, ProductEntity, skuKey } from '@invsync/domain-catalog';
import { chunk, MAX_SQL_PARAMS, type RowProblem } from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import { ChannelEntity } from '../persistence/channel.entity';
import { ListingEntity } from '../persistence/listing.entity';

/** A listing mapping as spreadsheets hold it: the channel (id or name), the channel's SKU, the product's SKU. */
export interface ListingRowInput {
  channel: string;
  sku: string;
  productSku: string;
}

export interface ResolvedListingRow {
  row: number;
  channelId: string;
  sku: string;
  productId: string;
}

/**
 * Resolves mapping rows to channel and product ids, collecting each row's problems: unknown or
 * ambiguous channel, malformed SKU, unknown product, a SKU given twice for one channel, a SKU already
 * connected to another product. Rows already connected as given come back in `unchanged`.
 */
export async function resolveListingRows(em: EntityManager, inputs: readonly ListingRowInput[], problems: RowProblem[]): Promise<{ rows: ResolvedListingRow[]; unchanged: number }> {
  const channels = await em.getRepository(ChannelEntity).find({ select: { id: true, name: true } });
  const byId = new Map(channels.map((c) => [c.id, c.id]));
  const byName = new Map<string, string[]>();
  for (const c of channels) byName.set(c.name.trim(), [...(byName.get(c.name.trim()) ?? []), c.id]);
  const productKeys = [...new Set(inputs.map((r) => (typeof r.productSku === 'string' ? skuKey(r.productSku) : '')))];
  const products = new Map<string, ProductEntity>();
  for (const part of chunk(productKeys, MAX_SQL_PARAMS)) {
    for (const p of await em.find(ProductEntity, { where: { skuKey: In(part) }, select: { id: true, skuKey: true, kind: true } })) products.set(p.skuKey, p);
  }
  const candidates: (ResolvedListingRow & { key: string })[] = [];
  const seen = new Map<string, number>();
  inputs.forEach((input, row) => {
    const before = problems.length;
    const name = typeof input.channel === 'string' ? input.channel.trim() : '';
    const named = byName.get(name) ?? [];
    const channelId = byId.get(name) ?? (named.length === 1 ? named[0] : undefined);
    if (!channelId) {
      problems.push({ row, field: 'channel', message: named.length > 1 ? `${named.length} channels are named "${name}": give the channel's id` : `no channel with id or name "${name}"` });
    }
    const sku = checkSku(input.sku);
    if ('problems' in sku) for (const message of sku.problems) problems.push({ row, field: 'sku', message });
    const product = typeof input.productSku === 'string' ? products.get(skuKey(input.productSku)) : undefined;
    if (!product) problems.push({ row, field: 'productSku', message: `no product with SKU "${input.productSku}"` });
    if (problems.length > before || !channelId || !product || 'problems' in sku) return;
    const first = seen.get(`${channelId}\u0000${sku.key}`);
    if (first !== undefined) {
      problems.push({ row, field: 'sku', message: `SKU "${sku.sku}" repeats row ${first} for this channel; a channel SKU maps to one product` });
      return;
    }
    seen.set(`${channelId}\u0000${sku.key}`, row);
    candidates.push({ row, channelId, sku: sku.sku, key: sku.key, productId: product.id });
  });
  const existing = new Map<string, ListingEntity>();
  for (const part of chunk([...new Set(candidates.map((c) => c.key))], MAX_SQL_PARAMS - 1)) {
    for (const l of await em.getRepository(ListingEntity).find({ where: { skuKey: In(part) }, select: { id: true, channelId: true, skuKey: true, productId: true } })) {
      existing.set(`${l.channelId}\u0000${l.skuKey}`, l);
    }
  }
  const rows: ResolvedListingRow[] = [];
  let unchanged = 0;
  for (const c of candidates) {
    const l = existing.get(`${c.channelId}\u0000${c.key}`);
    if (!l) rows.push({ row: c.row, channelId: c.channelId, sku: c.sku, productId: c.productId });
    else if (l.productId === c.productId) unchanged++;
    else problems.push({ row: c.row, field: 'sku', message: `listing-unique: SKU "${c.sku}" is already connected on this channel to another product (listing ${l.id}); disconnect it first` });
  }
  return { rows, unchanged };
}
