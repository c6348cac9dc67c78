import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

@Entity('warehouse')
@Unique('uq_warehouse_code_key', ['codeKey'])
export class WarehouseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** As given, surrounding whitespace removed. */
  @Column({ type: 'varchar', length: 40 })
  code: string;

  /** Trimmed, NFC, upper case: unique (codes are compared ignoring case). */
  @Column({ name: 'code_key', type: 'varchar', length: 160 })
  codeKey: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt: string;
}
