import type { AvailabilityService } from '@invsync/domain-availability';
import type { TransactionRunner } from '@invsync/domain-shared';
import { ChannelEntity } from '../persistence/channel.entity';
import type { QuantityRules, RuleStep } from '../rules/quantity-rules';
import { desiredQuantity } from '../rules/desired-quantity';
import { toChannelView } from '../channels/channel-view';
import { displayStatus } from './listing-views';
import type { ListingService } from './listing.service';
import { type RecordedSalesSource, stillWithheld } from '../listing-state/unrecorded-sales';

/** Units the channel sold that are not recorded yet, taken off what the channel is given. */
export interface WithheldStep {
  rule: 'withheld';
  setting: number;
  quantity: number;
  note: string;
}

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
  /** The rules in order, then `withheld` when units are withheld. */
  steps: (RuleStep | WithheldStep)[];
  /** The result of the rules (what the host wants the channel to offer). */
  quantity: number;
  /** Units the channel sold whose order is not recorded yet: the channel is given `quantity - withheld`. */
  withheld: number;
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
    private readonly availability: AvailabilityService,
    private readonly recordedSales?: RecordedSalesSource,
  ) {}

  async explain(listingId: string): Promise<QuantityExplanation> {
    const row = await this.listings.row(listingId);
    const channel = toChannelView((await this.tx.read((em) => em.getRepository(ChannelEntity).findOneBy({ id: row.channelId })))!);
    const warehouseIds = channel.onHandWarehouseIds;
    // The availability lib's own per-warehouse breakdown (bundles by component), in the channel's order.
    const inventory = await this.availability.breakdown(row.productId, warehouseIds);
    const byId = new Map(inventory.warehouses.map((w) => [w.warehouseId, w]));
    const warehouses = warehouseIds.map((id) => {
      const w = byId.get(id);
      const onHand = Math.max(0, w?.onHand ?? 0);
      if (!w?.components) return { warehouseId: id, onHand };
      return {
        warehouseId: id,
        onHand,
        components: w.components.map((c) => ({ productId: c.productId, perBundle: c.quantity, onHand: c.onHand, bundlesPossible: c.canMake })),
      };
    });
    const onHand = warehouses.reduce((s, w) => s + w.onHand, 0);
    const { rules, steps, quantity } = desiredQuantity(onHand, channel.rules, row.overrides);
    const recorded = row.withheldQuantity > 0 && this.recordedSales ? ((await this.tx.read((em) => this.recordedSales!.unitsSinceBasis(em, [row.id]))).get(row.id) ?? 0) : 0;
    const withheld = stillWithheld(row, recorded);
    const withheldStep: WithheldStep[] = withheld
      ? [{ rule: 'withheld', setting: withheld, quantity: Math.max(0, quantity - withheld), note: `withheld: ${withheld} units the channel sold that are not recorded yet` }]
      : [];
    return {
      listingId: row.id,
      sku: row.sku,
      productId: row.productId,
      productKind: inventory.kind,
      channel: { id: channel.id, name: channel.name, syncInventory: channel.syncEnabled, onHandWarehouseIds: warehouseIds },
      warehouses,
      onHand,
      rules,
      steps: [...steps, ...withheldStep],
      quantity,
      withheld,
      lastSent: { quantity: row.lastSentQuantity, at: row.lastSentAt },
      channelAccepted: { quantity: row.acceptedQuantity, at: row.acceptedAt },
      status: row.fulfilment === 'channel' ? 'synced' : displayStatus(row, channel),
      lastError: row.lastError,
    };
  }
}
