import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `parked`: recorded but not allocated, waiting for its SKUs to resolve or its channel's allocation warehouse. */
export const ORDER_STATUSES = ['open', 'parked', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** A sales order recorded from a channel (or by a person); `(channel, external id)` is unique. */
@Entity('sales_order')
@Index('uq_sales_order_channel_external', ['channelId', 'externalId'], { unique: true })
@Index('idx_sales_order_created', ['createdAt', 'id'])
@Index('idx_sales_order_status_channel', ['status', 'channelId'])
export class OrderEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'channel_id', type: 'varchar', length: 36 })
  channelId: string;

  @Column({ name: 'external_id', type: 'varchar', length: 200 })
  externalId: string;

  @Column({ type: 'varchar', length: 20 })
  status: OrderStatus;

  /** Fulfilled by the channel (e.g. from the marketplace's own warehouses): nothing is allocated here. */
  @Column({ name: 'fulfilled_by_channel', type: 'boolean' })
  fulfilledByChannel: boolean;

  /** The warehouse the lines were allocated from (the channel's allocation warehouse then). */
  @Column({ name: 'warehouse_id', type: 'varchar', length: 36, nullable: true })
  warehouseId: string | null;

  /** Why a `parked` order is not allocated and what resolves it; null otherwise. */
  @Column({ name: 'parked_reason', type: 'text', nullable: true })
  parkedReason: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}

@Entity('sales_order_line')
@Index('idx_sales_order_line_order', ['orderId'])
export class OrderLineEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'order_id', type: 'varchar', length: 36 })
  orderId: string;

  @Column({ name: 'line_no', type: 'integer' })
  lineNo: number;

  /** The SKU as the channel gave it (trimmed): a listing's SKU on the channel, or a product's. */
  @Column({ type: 'varchar', length: 100 })
  sku: string;

  /** The SKU rule's key (trimmed, NFC, upper case): how a listing or product connected later finds the line. */
  @Column({ name: 'sku_key', type: 'varchar', length: 100, nullable: true })
  skuKey: string | null;

  /** The product the SKU resolved to; null while the order is parked on it (or closed before it resolved). */
  @Column({ name: 'product_id', type: 'varchar', length: 36, nullable: true })
  productId: string | null;

  @Column({ type: 'integer' })
  quantity: number;

  /** Units allocated (bundles: whole bundles). */
  @Column({ type: 'integer' })
  allocated: number;

  /** Units the allocation warehouse could not cover. */
  @Column({ type: 'integer' })
  backordered: number;
}
