import type { EntityManager } from 'typeorm';
import type { ListingEntity } from '../persistence/listing.entity';

/**
 * Units of orders recorded after a listing's sold basis was read, on any channel sharing its
 * quantity (same pool and SKU). Implemented by the orders lib; the channels lib does not read orders.
 */
export interface RecordedSalesSource {
  unitsSinceBasis(em: EntityManager, listingIds: string[]): Promise<Map<string, number>>;
}

/** Withheld units no order explains after this long are released (the drop was not a sale). */
export const DEFAULT_WITHHELD_MAX_AGE_MS = 6 * 3600_000;

type Basis = Pick<ListingEntity, 'soldBasis' | 'withheldSince'>;

/**
 * What the channel should show if every sale were recorded (the plugin's `lastAccepted`): the basis
 * of the last accepted send minus the units of orders recorded since. Null when never sent, and when
 * units have been withheld longer than `maxAgeMs` (a drop no order explains: an edit on the channel,
 * a send that was never applied), so on hand is offered again rather than withheld for ever.
 */
export function lastAcceptedOf(row: Basis, recordedSince: number, now?: Date, maxAgeMs = DEFAULT_WITHHELD_MAX_AGE_MS): number | null {
  if (row.soldBasis === null) return null;
  if (now && row.withheldSince !== null && now.getTime() - Date.parse(row.withheldSince) > maxAgeMs) return null;
  return Math.max(0, row.soldBasis - recordedSince);
}

/** Units still withheld: those of the last send not yet explained by an order recorded since. */
export function stillWithheld(row: Pick<ListingEntity, 'withheldQuantity'>, recordedSince: number): number {
  return Math.max(0, row.withheldQuantity - recordedSince);
}
