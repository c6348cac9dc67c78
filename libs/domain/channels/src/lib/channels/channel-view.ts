import type { QuantityRules } from '../rules/quantity-rules';
import type { ChannelEntity, Fulfilment } from '../persistence/channel.entity';

/** A channel's sync-relevant settings, parsed. */
export interface ChannelView {
  id: string;
  type: string;
  name: string;
  fulfilment: Fulfilment;
  marketplaceId: string;
  quantityPool: string;
  accountId: string;
  syncEnabled: boolean;
  onHandWarehouseIds: string[];
  allocationWarehouseId: string | null;
  managedWarehouseId: string | null;
  rules: QuantityRules;
}

export function toChannelView(row: ChannelEntity): ChannelView {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    fulfilment: row.fulfilment,
    marketplaceId: row.marketplaceId,
    quantityPool: row.quantityPool,
    accountId: row.accountId,
    syncEnabled: !!row.syncEnabled,
    onHandWarehouseIds: JSON.parse(row.onHandWarehouseIds) as string[],
    allocationWarehouseId: row.allocationWarehouseId,
    managedWarehouseId: row.managedWarehouseId,
    rules: JSON.parse(row.rules) as QuantityRules,
  };
}

/**
 * What decides a listing's quantity besides time: the product, the warehouse set and the rules.
 * Listings sharing one channel quantity (same pool and SKU) must have the same signature.
 */
export function quantitySignature(productId: string, warehouseIds: string[], rules: QuantityRules): string {
  const sortedRules = Object.fromEntries(Object.entries(rules).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([productId, [...warehouseIds].sort(), sortedRules]);
}
