import { type CatalogService, wholeBundles } from '@invsync/domain-catalog';
import type { TransactionRunner } from '@invsync/domain-shared';
import type { StockLedgerService } from '@invsync/domain-warehouses';
import { ChannelEntity } from '../persistence/channel.entity';
import { applyQuantityRules, effectiveRules, type QuantityRules, type RuleStep } from '../rules/quantity-rules';
import { toChannelView } from '../sync/channel-view';
import { displayStatus } from './listing-views';
import type { ListingService } from './listing.service';

export interface QuantityExplanation {
  listingId: string;
  sku: string;
  productId: string;
  productKind: string;
  channel: { id: string; name: string; syncInventory: boolean; onHandWarehouseIds: string[] };
  /** On hand per warehouse of the channel's set; for a bundle, what each component allows there. */
  warehouses: {
    warehouseId: string;
    onHand: number;
    components?: { productId: string; perBundle: number; onHand: number; bundlesPossible: number }[];
  }[];
  onHand: number;
  rules: QuantityRules;
  steps: RuleStep[];
  quantity: number;
  lastSent: { quantity: number | null; at: string | null };
  channelAccepted: { quantity: number | null; at: string | null };
  status: string;
  lastError: string | null;
}

/** Why a listing's quantity is what it is: per warehouse and component, then each rule. */
export class ExplainService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly listings: ListingService,
    private readonly catalog: CatalogService,
    private readonly ledger: StockLedgerService,
  ) {}

  async explain(listingId: string): Promise<QuantityExplanation> {
    const row = await this.listings.row(listingId);
    const channel = toChannelView((await this.tx.read((em) => em.getRepository(ChannelEntity).findOneBy({ id: row.channelId })))!);
    const product = await this.catalog.get(row.productId);
    const warehouseIds = channel.onHandWarehouseIds;
    const isBundle = product.kind === 'bundle';
    const components = isBundle ? product.components : [];
    const stockIds = isBundle ? components.map((c) => c.productId) : [product.id];
    const levels = await this.ledger.levels(stockIds, warehouseIds);
    const onHandAt = (productId: string, warehouseId: string) => {
      const l = levels.find((x) => x.productId === productId && x.warehouseId === warehouseId);
      return l ? l.onHand : 0;
    };
    const warehouses = warehouseIds.map((w) => {
      if (!isBundle) return { warehouseId: w, onHand: product.kind === 'parent' ? 0 : Math.max(0, onHandAt(product.id, w)) };
      return {
        warehouseId: w,
        onHand: wholeBundles(components, (p) => onHandAt(p, w)),
        components: components.map((c) => ({
          productId: c.productId,
          perBundle: c.quantity,
          onHand: onHandAt(c.productId, w),
          bundlesPossible: Math.max(0, Math.floor(onHandAt(c.productId, w) / c.quantity)),
        })),
      };
    });
    const onHand = warehouses.reduce((s, w) => s + w.onHand, 0);
    const rules = effectiveRules(channel.rules, JSON.parse(row.overrides) as QuantityRules);
    const ruled = applyQuantityRules(onHand, rules);
    return {
      listingId: row.id,
      sku: row.sku,
      productId: product.id,
      productKind: product.kind,
      channel: { id: channel.id, name: channel.name, syncInventory: channel.syncEnabled, onHandWarehouseIds: warehouseIds },
      warehouses,
      onHand,
      rules,
      steps: ruled.steps,
      quantity: ruled.quantity,
      lastSent: { quantity: row.lastSentQuantity, at: row.lastSentAt },
      channelAccepted: { quantity: row.acceptedQuantity, at: row.acceptedAt },
      status: row.fulfilment === 'channel' ? 'synced' : displayStatus(row, channel),
      lastError: row.lastError,
    };
  }
}
