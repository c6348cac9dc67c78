import { Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';

export const PRODUCT_KINDS = ['stock', 'bundle', 'parent'] as const;
/** `stock`: holds stock (a variant is a stock product with a parent); `bundle`: made of stock components; `parent`: groups variants. */
export type ProductKind = (typeof PRODUCT_KINDS)[number];

@Entity('product')
@Unique('uq_product_sku_key', ['skuKey'])
@Index('idx_product_parent', ['parentId'])
// PostgreSQL only (sku_key varchar_pattern_ops), made by its migration: TypeORM leaves it alone.
@Index('idx_product_sku_pattern', { synchronize: false })
export class ProductEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The SKU as given, surrounding whitespace removed. */
  @Column({ type: 'varchar', length: 40 })
  sku: string;

  /** Normalised SKU (trimmed, NFC, upper case): unique; all SKU lookups use it. */
  @Column({ name: 'sku_key', type: 'varchar', length: 160 })
  skuKey: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 10 })
  kind: ProductKind;

  @ForeignKey(() => ProductEntity, { name: 'fk_product_parent' })
  @Column({ name: 'parent_id', type: 'varchar', length: 36, nullable: true })
  parentId: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
