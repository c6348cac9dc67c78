import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Fulfilment } from './channel.entity';

/** What Live Listings shows for a merchant-fulfilled listing. */
export type ListingStatus = 'pending' | 'sent' | 'synced' | 'error' | 'disabled' | 'conflict';

/**
 * A channel listing connected to a product, with its sync state. The state is level-triggered: a
 * change marks the listing dirty (`dirty`, `change_seq` + 1) in the same transaction; the dispatcher
 * recomputes the quantity from current state and sends it if it differs from what the channel last
 * accepted. `inflight_*` is the dispatcher's claim: while it holds, nobody else sends this listing,
 * so an older value can never overtake a newer one.
 */
@Entity('listing')
@Index('uq_listing_channel_sku', ['channelId', 'skuKey'], { unique: true })
@Index('idx_listing_product', ['productId'])
@Index('idx_listing_pool_sku', ['quantityPool', 'skuKey'])
@Index('idx_listing_dirty', ['dirty', 'dirtySince'])
@Index('idx_listing_channel_id', ['channelId', 'id'])
@Index('idx_listing_channel_status', ['channelId', 'fulfilment', 'syncEnabled', 'status', 'id'])
@Index('idx_listing_channel_fulfilment', ['channelId', 'fulfilment', 'id'])
@Index('idx_listing_channel_dirty', ['channelId', 'id'], { where: 'dirty = true' })
// PostgreSQL only (channel_id, sku_key varchar_pattern_ops), made by its migration: TypeORM leaves it alone.
@Index('idx_listing_channel_sku_pattern', { synchronize: false })
// Confirmation rounds page through the listings with a receipt only (few, of a million).
@Index('idx_listing_receipt', ['id'], { where: 'receipt IS NOT NULL' })
export class ListingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId: string;

  @Column({ type: 'varchar', length: 100 })
  sku: string;

  @Column({ name: 'sku_key', type: 'varchar', length: 100 })
  skuKey: string;

  @Column({ name: 'marketplace_id', type: 'varchar', length: 100 })
  marketplaceId: string;

  @Column({ name: 'quantity_pool', type: 'varchar', length: 200 })
  quantityPool: string;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @Column({ type: 'varchar', length: 20 })
  fulfilment: Fulfilment;

  /** JSON QuantityRules overriding the channel's. */
  @Column({ type: 'text' })
  overrides: string;

  @Column({ name: 'sync_enabled', type: 'boolean' })
  syncEnabled: boolean;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  // --- sync state ---
  @Column({ type: 'boolean' })
  dirty: boolean;

  /** When the listing became dirty (start of its coalescing window). */
  @Column({ name: 'dirty_since', type: 'varchar', length: 32, nullable: true })
  dirtySince: string | null;

  /** Send even if equal to what the channel last accepted (connection, sync re-activated, nightly without read-back). */
  @Column({ name: 'force_send', type: 'boolean' })
  forceSend: boolean;

  /** The change at which the send was forced: a send covering it (inflight_seq >= force_seq) ends the force. */
  @Column({ name: 'force_seq', type: 'integer', nullable: true })
  forceSeq: number | null;

  /** Incremented on every change that may alter the quantity: the version of the desired value. */
  @Column({ name: 'change_seq', type: 'integer' })
  changeSeq: number;

  /**
   * The change at which the leading-edge lane last looked at this dirty listing and found it does not
   * lower what the channel shows: not looked at again before the next change (the window sends it).
   */
  @Column({ name: 'lane_seq', type: 'integer', nullable: true })
  laneSeq: number | null;

  /** When the lead lane last claimed this listing for a send: at most one leading send per window. */
  @Column({ name: 'lead_at', type: 'varchar', length: 32, nullable: true })
  leadAt: string | null;

  @Column({ name: 'inflight_token', type: 'varchar', length: 36, nullable: true })
  inflightToken: string | null;

  @Column({ name: 'inflight_seq', type: 'integer', nullable: true })
  inflightSeq: number | null;

  @Column({ name: 'inflight_until', type: 'varchar', length: 32, nullable: true })
  inflightUntil: string | null;

  /**
   * Set while the listing is held for the confirmation of the quantity it carries (a feed), so a
   * hold is told from a pass's claim on a listing that still carries its previous send's receipt.
   */
  @Column({ name: 'inflight_quantity', type: 'integer', nullable: true })
  inflightQuantity: number | null;

  /** Plugin receipt of an accepted, not yet confirmed delivery (e.g. a feed id). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  receipt: string | null;

  @Column({ name: 'computed_quantity', type: 'integer', nullable: true })
  computedQuantity: number | null;

  @Column({ name: 'last_sent_quantity', type: 'integer', nullable: true })
  lastSentQuantity: number | null;

  @Column({ name: 'last_sent_at', type: 'varchar', length: 32, nullable: true })
  lastSentAt: string | null;

  /** The quantity the channel last accepted (or confirmed). */
  @Column({ name: 'accepted_quantity', type: 'integer', nullable: true })
  acceptedQuantity: number | null;

  @Column({ name: 'accepted_at', type: 'varchar', length: 32, nullable: true })
  acceptedAt: string | null;

  /**
   * What the channel should show if every sale were recorded: the quantity it was given at the last
   * accepted send plus the units withheld in it; orders recorded after `sold_basis_at` (when the on
   * hand behind it was read) are subtracted from it at the next send (docs/reliability.md).
   */
  @Column({ name: 'sold_basis', type: 'integer', nullable: true })
  soldBasis: number | null;

  @Column({ name: 'sold_basis_at', type: 'varchar', length: 32, nullable: true })
  soldBasisAt: string | null;

  /** Units the channel sold that were not recorded yet, withheld from the last send. */
  @Column({ name: 'withheld_quantity', type: 'integer', default: 0 })
  withheldQuantity: number;

  /** Since when units have been withheld without a break (null when none are). */
  @Column({ name: 'withheld_since', type: 'varchar', length: 32, nullable: true })
  withheldSince: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: ListingStatus;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'varchar', length: 32, nullable: true })
  nextAttemptAt: string | null;

  /** What the channel showed when last read (read-back of a merchant-fulfilled listing, or the channel's own stock). */
  @Column({ name: 'remote_quantity', type: 'integer', nullable: true })
  remoteQuantity: number | null;

  /** JSON details of the remote quantity (channel-held stock: reserved, inbound, unfulfillable). */
  @Column({ name: 'remote_details', type: 'text', nullable: true })
  remoteDetails: string | null;

  /**
   * Set only while the listing is missing from its channel's latest read: when it was last seen. Null
   * with a remote quantity: seen in the channel's latest read (`channel.remote_read_at`). Read it
   * through `listingReadAt`.
   */
  @Column({ name: 'remote_read_at', type: 'varchar', length: 32, nullable: true })
  remoteReadAt: string | null;
}
