import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type Fulfilment = 'merchant' | 'channel';

/**
 * One channel: a plugin channel type on one marketplace of one account. The host-level settings the
 * sync engine reads are columns; the plugin's own settings are stored as JSON with secrets encrypted
 * (the host encrypts them; this lib never sees a secret in clear).
 */
@Entity('channel')
@Index('idx_channel_pool', ['quantityPool'])
export class ChannelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  type: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 20 })
  fulfilment: Fulfilment;

  @Column({ name: 'marketplace_id', type: 'varchar', length: 100 })
  marketplaceId: string;

  /** Listings in one pool with one SKU share one quantity on the channel (e.g. one seller's SKU across a region's marketplaces). */
  @Column({ name: 'quantity_pool', type: 'varchar', length: 200 })
  quantityPool: string;

  @Column({ name: 'account_id', type: 'varchar', length: 200 })
  accountId: string;

  @Column({ name: 'sync_enabled', type: 'boolean' })
  syncEnabled: boolean;

  /** JSON array of warehouse ids whose on hand is summed for this channel's listings. */
  @Column({ name: 'on_hand_warehouse_ids', type: 'text' })
  onHandWarehouseIds: string;

  @Column({ name: 'allocation_warehouse_id', type: 'varchar', length: 36, nullable: true })
  allocationWarehouseId: string | null;

  @Column({ name: 'managed_warehouse_id', type: 'varchar', length: 36, nullable: true })
  managedWarehouseId: string | null;

  /** JSON QuantityRules at channel level. */
  @Column({ type: 'text' })
  rules: string;

  /** JSON of the plugin's settings; secret values are encrypted envelopes. */
  @Column({ name: 'plugin_settings', type: 'text' })
  pluginSettings: string;

  @Column({ name: 'health_ok', type: 'boolean', nullable: true })
  healthOk: boolean | null;

  @Column({ name: 'health_message', type: 'text', nullable: true })
  healthMessage: string | null;

  @Column({ name: 'health_checked_at', type: 'varchar', length: 32, nullable: true })
  healthCheckedAt: string | null;

  /**
   * When the channel's last complete read of what it shows started (read-back of merchant-fulfilled listings, or channel-held stock).
   * Listings seen in that read carry no read time of their own: see `listingReadAt`.
   */
  @Column({ name: 'remote_read_at', type: 'varchar', length: 32, nullable: true })
  remoteReadAt: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
