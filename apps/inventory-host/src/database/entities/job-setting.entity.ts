import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An operator's override of a scheduled job's cron or enabled flag. */
@Entity('job_setting')
export class JobSettingEntity {
  @PrimaryColumn({ name: 'name', type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'cron', type: 'varchar', length: 100, nullable: true })
  cron: string | null;

  @Column({ name: 'enabled', type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt: string;
}
