import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { ProductEntity } from './product.entity';

/** One line of a bundle's recipe: `quantity` units of `componentId` per bundle. */
@Entity('bundle_component')
@Index('idx_bundle_component_component', ['componentId'])
export class BundleComponentEntity {
  @ForeignKey(() => ProductEntity, { name: 'fk_bundle_component_bundle' })
  @PrimaryColumn({ name: 'bundle_id', type: 'varchar', length: 36 })
  bundleId: string;

  @ForeignKey(() => ProductEntity, { name: 'fk_bundle_component_component' })
  @PrimaryColumn({ name: 'component_id', type: 'varchar', length: 36 })
  componentId: string;

  @Column({ type: 'integer' })
  quantity: number;
}
