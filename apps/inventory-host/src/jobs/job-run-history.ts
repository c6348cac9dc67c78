import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TransactionRunner } from '@invsync/domain-shared';
import { nowIso } from '../common/time';
import { JobRunEntity, type JobRunStatus, type JobTrigger } from '../database/entities/job-run.entity';

export interface JobRunView {
  id: string;
  /** The job (or on-demand task, e.g. `channel.reconcile:<channelId>`) the run belongs to. */
  job: string;
  trigger: JobTrigger;
  /** The scheduled time a scheduled run is for. */
  slot: string | null;
  instanceId: string;
  status: JobRunStatus;
  startedAt: string;
  finishedAt: string | null;
  summary: Record<string, unknown> | null;
  error: string | null;
  progress: { done: number; total: number | null } | null;
}

export interface JobProgress {
  done: number;
  total: number | null;
}

export interface JobRunOutcome {
  status: JobRunStatus;
  summary: Record<string, unknown> | null;
  error: string | null;
  progress: JobProgress | null;
}

/** The runs of every job: start, progress, end, and the history read back. */
@Injectable()
export class JobRunHistory {
  constructor(private readonly db: DataSource) {}

  /** Records a run as started (`running`). Fails with a unique violation when the scheduled slot already has a run. */
  async start(run: { id: string; jobName: string; trigger: JobTrigger; slot: string | null; instanceId: string }): Promise<void> {
    await this.write((em) =>
      em.getRepository(JobRunEntity).insert({
        ...run,
        status: 'running',
        startedAt: nowIso(),
        finishedAt: null,
        summary: null,
        error: null,
        progressDone: null,
        progressTotal: null,
      }),
    );
  }

  async recordProgress(runId: string, progress: JobProgress): Promise<void> {
    await this.write((em) => em.getRepository(JobRunEntity).update({ id: runId }, { progressDone: progress.done, progressTotal: progress.total }));
  }

  async finish(runId: string, outcome: JobRunOutcome): Promise<void> {
    await this.write((em) =>
      em.getRepository(JobRunEntity).update(
        { id: runId },
        {
          status: outcome.status,
          finishedAt: nowIso(),
          summary: outcome.summary ? JSON.stringify(outcome.summary) : null,
          error: outcome.error,
          progressDone: outcome.progress?.done ?? null,
          progressTotal: outcome.progress?.total ?? null,
        },
      ),
    );
  }

  /** Marks `running` runs (of one job, or of all) interrupted: the process running them is gone. */
  async interrupt(reason: string, jobName?: string): Promise<void> {
    await this.write((em) =>
      em.getRepository(JobRunEntity).update({ status: 'running', ...(jobName ? { jobName } : {}) }, { status: 'interrupted', finishedAt: nowIso(), error: reason }),
    );
  }

  async get(runId: string): Promise<JobRunView | null> {
    const row = await this.read((em) => em.getRepository(JobRunEntity).findOneBy({ id: runId }));
    return row ? toRunView(row) : null;
  }

  /** The newest run of a job still recorded as `running` (possibly on another instance). */
  async runningRun(jobName: string): Promise<JobRunView | null> {
    const row = await this.read((em) => em.getRepository(JobRunEntity).findOne({ where: { jobName, status: 'running' }, order: { startedAt: 'DESC' } }));
    return row ? toRunView(row) : null;
  }

  /** Names of the jobs with a run recorded as `running`. */
  async runningJobNames(): Promise<string[]> {
    const rows = await this.read((em) => em.getRepository(JobRunEntity).findBy({ status: 'running' }));
    return [...new Set(rows.map((r) => r.jobName))];
  }

  /** Latest run per job: one small query per job keeps it portable and uses the (job, started) index. */
  async lastRuns(names: string[]): Promise<Map<string, JobRunView>> {
    const out = new Map<string, JobRunView>();
    for (const name of names) {
      const row = await this.read((em) => em.getRepository(JobRunEntity).findOne({ where: { jobName: name }, order: { startedAt: 'DESC' } }));
      if (row) out.set(name, toRunView(row));
    }
    return out;
  }

  /** A page of a job's runs, newest first; the cursor is the `startedAt` of the page's last run. */
  async page(jobName: string, limit: number, cursor?: string): Promise<{ items: JobRunView[]; nextCursor: string | null }> {
    const rows = await this.read((em) => {
      const qb = em
        .getRepository(JobRunEntity)
        .createQueryBuilder('r')
        .where('r.job_name = :name', { name: jobName })
        .orderBy('r.started_at', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .take(limit + 1);
      if (cursor) qb.andWhere('r.started_at < :cursor', { cursor });
      return qb.getMany();
    });
    const items = rows.slice(0, limit).map(toRunView);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].startedAt : null };
  }

  // Every statement goes through the one TransactionRunner: on SQLite (one connection) a write
  // issued while a ledger transaction is open would otherwise land inside it.
  private write<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return TransactionRunner.for(this.db).run(fn);
  }

  private read<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return TransactionRunner.for(this.db).read(fn);
  }
}

function toRunView(row: JobRunEntity): JobRunView {
  return {
    id: row.id,
    job: row.jobName,
    trigger: row.trigger,
    slot: row.slot,
    instanceId: row.instanceId,
    status: row.status,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    summary: row.summary ? (JSON.parse(row.summary) as Record<string, unknown>) : null,
    error: row.error,
    progress: row.progressDone === null ? null : { done: row.progressDone, total: row.progressTotal },
  };
}
