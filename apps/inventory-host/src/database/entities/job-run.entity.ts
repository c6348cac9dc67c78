import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type JobRunStatus = 'running' | 'succeeded' | 'failed' | 'skipped' | 'interrupted';
/** `request`: an on-demand task started by an API request (a channel's reconcile or import). */
export type JobTrigger = 'schedule' | 'manual' | 'request';

/** One run of a scheduled job or an on-demand task: the job history. */
@Entity('job_run')
@Index('idx_job_run_job_started', ['jobName', 'startedAt'])
@Index('uq_job_run_slot', ['jobName', 'slot'], { unique: true })
export class JobRunEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'job_name', type: 'varchar', length: 200 })
  jobName: string;

  @Column({ name: 'trigger', type: 'varchar', length: 20 })
  trigger: JobTrigger;

  @Column({ name: 'status', type: 'varchar', length: 20 })
  status: JobRunStatus;

  @Column({ name: 'started_at', type: 'varchar', length: 32 })
  startedAt: string;

  @Column({ name: 'finished_at', type: 'varchar', length: 32, nullable: true })
  finishedAt: string | null;

  /** JSON object returned by the job. */
  @Column({ name: 'summary', type: 'text', nullable: true })
  summary: string | null;

  @Column({ name: 'error', type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'progress_done', type: 'integer', nullable: true })
  progressDone: number | null;

  @Column({ name: 'progress_total', type: 'integer', nullable: true })
  progressTotal: number | null;

  @Column({ name: 'instance_id', type: 'varchar', length: 100 })
  instanceId: string;

  /** The scheduled time this run is for (scheduled runs only): unique per job, so a slot runs once across instances. */
  @Column({ name: 'slot', type: 'varchar', length: 32, nullable: true })
  slot: string | null;
}
