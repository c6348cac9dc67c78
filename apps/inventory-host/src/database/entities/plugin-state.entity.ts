import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small persisted key/value state of a plugin (checkpoints, cursors). */
@Entity('plugin_state')
export class PluginStateEntity {
  @PrimaryColumn({ name: 'plugin_id', type: 'varchar', length: 100 })
  pluginId: string;

  @PrimaryColumn({ name: 'key', type: 'varchar', length: 200 })
  key: string;

  @Column({ name: 'value', type: 'text' })
  value: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
