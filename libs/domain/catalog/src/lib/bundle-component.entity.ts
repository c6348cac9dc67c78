import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One line of a bundle's recipe: `quantity` units of `componentId` per bundle. */
@Entity('bundle_component')
export class BundleComponentEntity {
  @PrimaryColumn({ name: 'bundle_id', type: 'varchar', length: 36 })
  bundleId: string;

  @PrimaryColumn({ name: 'component_id', type: 'varchar', length: 36 })
  componentId: string;

  @Column({ type: 'integer' })
  quantity: number;
}
