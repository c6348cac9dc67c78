import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type OrderStatus = 'open' | 'shipped' | 'cancelled';

/** A sales order recorded from a channel (or by a person); `(channel, external id)` is unique. */
@Entity('sales_order')
@Index('uq_sales_order_channel_external', ['channelId', 'externalId'], { unique: true })
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

  @Column({ type: 'varchar', length: 100 })
  sku: string;

  @Column({ name: 'product_id', type: 'varchar', length: 36 })
  productId: string;

  @Column({ type: 'integer' })
  quantity: number;

  /** Units allocated (bundles: whole bundles). */
  @Column({ type: 'integer' })
  allocated: number;

  /** Units the allocation warehouse could not cover. */
  @Column({ type: 'integer' })
  backordered: number;
}
