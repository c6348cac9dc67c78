import { chunk, MAX_SQL_PARAMS } from '@invsync/domain-shared';
import { type EntityManager, In } from 'typeorm';
import { ChannelEntity } from '../persistence/channel.entity';
import { ListingEntity } from '../persistence/listing.entity';
import { effectiveRules, type QuantityRules } from '../rules/quantity-rules';
import { quantitySignature, toChannelView } from '../channels/channel-view';

/** A listing as it would be after a change, for the shared-quantity check. */
export interface ProposedListing {
  id?: string;
  channelId: string;
  channelName: string;
  sku: string;
  skuKey: string;
  quantityPool: string;
  productId: string;
  warehouseIds: string[];
  rules: QuantityRules;
}

export interface SharedQuantityConflict {
  listing: ProposedListing;
  other: { id: string; channelId: string; channelName: string; sku: string; productId: string };
  message: string;
}

/**
 * Finds listings that share one channel quantity with the proposed ones (same pool and SKU, e.g.
 * the same seller and SKU in two marketplaces of one region) but whose quantities could differ.
 * `overrides` replaces what is stored for channels being changed.
 */
export async function findSharedQuantityConflicts(
  em: EntityManager,
  proposed: ProposedListing[],
  overrides: { channels?: Map<string, { warehouseIds: string[]; rules: QuantityRules }> } = {},
): Promise<SharedQuantityConflict[]> {
  if (!proposed.length) return [];
  const conflicts: SharedQuantityConflict[] = [];
  const pools = [...new Set(proposed.map((p) => p.quantityPool))];
  const wanted = new Map(proposed.map((p) => [`${p.quantityPool}\u0000${p.skuKey}`, p]));
  const ownIds = new Set(proposed.map((p) => p.id).filter(Boolean));
  const mates: ListingEntity[] = [];
  for (const skus of chunk([...new Set(proposed.map((p) => p.skuKey))], MAX_SQL_PARAMS - pools.length - 10)) {
    const rows = await em.getRepository(ListingEntity).find({ where: { quantityPool: In(pools), skuKey: In(skus), fulfilment: 'merchant' } });
    mates.push(...rows.filter((r) => wanted.has(`${r.quantityPool}\u0000${r.skuKey}`) && !ownIds.has(r.id)));
  }
  if (!mates.length) return [];
  const channelRows = await em.getRepository(ChannelEntity).findBy({ id: In([...new Set(mates.map((m) => m.channelId))]) });
  const channels = new Map(channelRows.map((c) => [c.id, toChannelView(c)]));
  for (const mate of mates) {
    const p = wanted.get(`${mate.quantityPool}\u0000${mate.skuKey}`)!;
    const ch = channels.get(mate.channelId)!;
    const changed = overrides.channels?.get(mate.channelId);
    const warehouseIds = changed?.warehouseIds ?? ch.onHandWarehouseIds;
    const rules = effectiveRules(changed?.rules ?? ch.rules, JSON.parse(mate.overrides) as QuantityRules);
    if (quantitySignature(mate.productId, warehouseIds, rules) === quantitySignature(p.productId, p.warehouseIds, p.rules)) continue;
    const why =
      mate.productId !== p.productId
        ? 'it is connected to another product'
        : [...warehouseIds].sort().join() !== [...p.warehouseIds].sort().join()
          ? 'its channel sums on hand over other warehouses'
          : 'its quantity rules differ';
    conflicts.push({
      listing: p,
      other: { id: mate.id, channelId: mate.channelId, channelName: ch.name, sku: mate.sku, productId: mate.productId },
      message:
        `SKU "${p.sku}" on channel "${p.channelName}" would share one quantity with listing ${mate.id} ("${mate.sku}" on channel "${ch.name}", ` +
        `same account, marketplaces where the channel keeps one quantity per SKU), but ${why}. ` +
        `Use a different SKU for one of them (a SKU cannot be renamed: relist it), or give both the same product, warehouses and rules.`,
    });
  }
  return conflicts;
}
