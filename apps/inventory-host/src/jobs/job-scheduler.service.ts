import { ConflictException, Injectable, Logger, NotFoundException, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime } from 'cron';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { HostOptions } from '../app/host-options';
import { nowIso } from '../common/time';
import { JobRunEntity, type JobRunStatus, type JobTrigger } from '../database/entities/job-run.entity';
import { JobSettingEntity } from '../database/entities/job-setting.entity';
import { checkCron } from '../plugins/manifest-validator';
import { isUniqueViolation, TransactionRunner } from '@invsync/domain-shared';

export interface JobExecution {
  readonly runId: string;
  readonly signal: AbortSignal;
  progress(done: number, total?: number): void;
}

export interface JobDefinition {
  /** `<plugin>.<job>` or `host.<job>`. */
  name: string;
  /** Plugin id, or `host`. */
  owner: string;
  defaultCron: string;
  description: string;
  run(exec: JobExecution): Promise<Record<string, unknown> | void>;
}

/** Thrown by a job that had nothing it could do (e.g. its plugin is not active): the run is `skipped`. */
export class SkipRun extends Error {}

export interface JobView {
  name: string;
  plugin: string;
  description: string;
  cron: string;
  defaultCron: string;
  enabled: boolean;
  running: boolean;
  nextRunAt: string | null;
  lastRun: JobRunView | null;
}

export interface JobRunView {
  id: string;
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

const PROGRESS_FLUSH_MS = 1000;
const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Scheduled jobs of the host and the plugins: cron from the definition or an operator's override,
 * runs recorded with status, summary, error and progress; one run of a job at a time; a failed run
 * does not stop the next.
 */
@Injectable()
export class JobSchedulerService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');
  private readonly defs = new Map<string, JobDefinition>();
  private readonly settings = new Map<string, JobSettingEntity>();
  private readonly running = new Map<string, { runId: string; abort: AbortController; done: Promise<void> }>();
  private readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private started = false;
  private stopping = false;

  constructor(
    private readonly db: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly options: HostOptions,
  ) {}

  define(def: JobDefinition): void {
    if (this.defs.has(def.name)) throw new Error(`job "${def.name}" is defined twice`);
    this.defs.set(def.name, def);
    if (this.started) this.schedule(def.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    // Runs left "running" by a process that died cannot finish any more. On PostgreSQL another
    // instance may really be running the job: only runs whose job lock is free are interrupted.
    if (!this.shared) {
      await this.write((em) =>
        em.getRepository(JobRunEntity).update({ status: 'running' }, { status: 'interrupted', finishedAt: nowIso(), error: 'the host stopped during this run' }),
      );
    } else {
      const stale = await this.read((em) => em.getRepository(JobRunEntity).findBy({ status: 'running' }));
      for (const name of new Set(stale.map((r) => r.jobName))) {
        const lock = await this.lock(name);
        if (!lock) continue;
        await this.write((em) =>
          em.getRepository(JobRunEntity).update({ status: 'running', jobName: name }, { status: 'interrupted', finishedAt: nowIso(), error: 'the instance running it stopped' }),
        );
        await lock.release();
      }
    }
    const rows = await this.read((em) => em.getRepository(JobSettingEntity).find());
    for (const row of rows) this.settings.set(row.name, row);
    this.started = true;
    for (const name of this.defs.keys()) this.schedule(name);
    // Another instance may change a job's cron or switch it off: pick that up.
    if (this.shared) {
      this.refresh = setInterval(() => void this.refreshSettings().catch(() => undefined), this.options.config.jobSettingsRefreshMs);
      this.refresh.unref();
    }
  }

  private refresh?: NodeJS.Timeout;

  private async refreshSettings(): Promise<void> {
    if (this.stopping) return;
    for (const row of await this.read((em) => em.getRepository(JobSettingEntity).find())) {
      const cur = this.settings.get(row.name);
      if (cur && cur.cron === row.cron && !!cur.enabled === !!row.enabled) continue;
      this.settings.set(row.name, row);
      if (this.defs.has(row.name)) this.schedule(row.name);
    }
  }

  // Every statement goes through the one TransactionRunner: on SQLite (one connection) a write
  // issued while a ledger transaction is open would otherwise land inside it.
  private write<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return TransactionRunner.for(this.db).run(fn);
  }

  private read<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return TransactionRunner.for(this.db).read(fn);
  }

  /** Several instances share the database (PostgreSQL): jobs are coordinated through it. */
  private get shared(): boolean {
    return this.options.config.database.type === 'postgres';
  }

  /**
   * The job's cross-instance lock: a PostgreSQL advisory lock held by an open transaction on its
   * own connection for the length of the run (released by commit, or by PostgreSQL if the instance
   * dies). Undefined when another instance holds it. SQLite is single-instance: no lock needed.
   */
  private async lock(name: string): Promise<{ release(): Promise<void> } | undefined> {
    if (!this.shared) return { release: async () => undefined };
    const qr: QueryRunner = this.db.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const [row] = (await qr.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`invsync-job:${name}`])) as { locked: boolean }[];
      if (row?.locked) {
        return {
          release: async () => {
            await qr.commitTransaction().catch(() => undefined);
            await qr.release();
          },
        };
      }
      await qr.rollbackTransaction();
    } catch (e) {
      await qr.rollbackTransaction().catch(() => undefined);
      await qr.release();
      throw e;
    }
    await qr.release();
    return undefined;
  }

  /** The scheduled instant a tick belongs to (the same on every instance, whatever their timing). */
  private slotOf(name: string): string {
    const next = new CronTime(this.cronOf(name)).getNextDateFrom(new Date(Date.now() - 1500));
    return next.toJSDate().toISOString();
  }

  private cronOf(name: string): string {
    return this.settings.get(name)?.cron ?? this.getDef(name).defaultCron;
  }

  private enabledOf(name: string): boolean {
    return this.settings.get(name)?.enabled ?? true;
  }

  private schedule(name: string): void {
    if (this.registry.doesExist('cron', name)) {
      this.registry.getCronJob(name).stop();
      this.registry.deleteCronJob(name);
    }
    if (!this.options.config.schedulerEnabled || this.stopping || !this.enabledOf(name)) return;
    const job = CronJob.from({
      cronTime: this.cronOf(name),
      onTick: () => void this.trigger(name, 'schedule', this.slotOf(name)).catch((e) => this.logger.error(`job ${name}: ${(e as Error).message}`)),
      start: false,
      waitForCompletion: false,
    });
    this.registry.addCronJob(name, job);
    job.start();
  }

  private getDef(name: string): JobDefinition {
    const def = this.defs.get(name);
    if (!def) throw new NotFoundException(`No job named "${name}". GET /api/v1/jobs lists them.`);
    return def;
  }

  async list(): Promise<JobView[]> {
    const names = [...this.defs.keys()].sort();
    const last = await this.lastRuns(names);
    return names.map((n) => this.view(n, last.get(n) ?? null));
  }

  async describe(name: string): Promise<JobView> {
    this.getDef(name);
    return this.view(name, (await this.lastRuns([name])).get(name) ?? null);
  }

  private view(name: string, lastRun: JobRunView | null): JobView {
    const def = this.getDef(name);
    let nextRunAt: string | null = null;
    if (this.registry.doesExist('cron', name)) {
      const next = this.registry.getCronJob(name).nextDate();
      nextRunAt = next ? next.toJSDate().toISOString() : null;
    }
    return {
      name,
      plugin: def.owner,
      description: def.description,
      cron: this.cronOf(name),
      defaultCron: def.defaultCron,
      enabled: this.enabledOf(name),
      running: this.running.has(name),
      nextRunAt,
      lastRun,
    };
  }

  private async lastRuns(names: string[]): Promise<Map<string, JobRunView>> {
    const out = new Map<string, JobRunView>();
    if (!names.length) return out;
    // Latest run per job: one small query per job keeps it portable and uses the (job, started) index.
    for (const name of names) {
      const row = await this.read((em) => em.getRepository(JobRunEntity).findOne({ where: { jobName: name }, order: { startedAt: 'DESC' } }));
      if (row) out.set(name, toRunView(row));
    }
    return out;
  }

  async runs(name: string, limit: number, cursor?: string): Promise<{ items: JobRunView[]; nextCursor: string | null }> {
    this.getDef(name);
    const rows = await this.read((em) => {
      const qb = em
        .getRepository(JobRunEntity)
        .createQueryBuilder('r')
        .where('r.job_name = :name', { name })
        .orderBy('r.started_at', 'DESC')
        .addOrderBy('r.id', 'DESC')
        .take(limit + 1);
      if (cursor) qb.andWhere('r.started_at < :cursor', { cursor });
      return qb.getMany();
    });
    const items = rows.slice(0, limit).map(toRunView);
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].startedAt : null };
  }

  async update(name: string, patch: { cron?: string; enabled?: boolean }): Promise<JobView> {
    this.getDef(name);
    if (patch.cron !== undefined) {
      const problem = checkCron(patch.cron);
      if (problem) throw new BadCronError(problem);
    }
    const current = this.settings.get(name);
    const row: JobSettingEntity = {
      name,
      cron: patch.cron ?? current?.cron ?? null,
      enabled: patch.enabled ?? current?.enabled ?? true,
      updatedAt: nowIso(),
    };
    await this.write((em) => em.getRepository(JobSettingEntity).save(row));
    this.settings.set(name, row);
    this.schedule(name);
    return this.describe(name);
  }

  /**
   * Starts a run unless one is in progress (a scheduled tick is then dropped; a manual request gets
   * 409). Resolves with the run id once the run is recorded; the run goes on in the background.
   */
  async trigger(name: string, trigger: JobTrigger, slot: string | null = null): Promise<{ runId: string; done: Promise<void> } | undefined> {
    const def = this.getDef(name);
    if (this.stopping) throw new ConflictException('The host is shutting down; no new job runs start.');
    const current = this.running.get(name);
    if (current) {
      if (trigger === 'manual') throw new ConflictException(`Job "${name}" is already running (run ${current.runId}); wait for it to finish.`);
      this.logger.debug(`job ${name}: previous run ${current.runId} still in progress, tick skipped`);
      return undefined;
    }
    const runId = randomUUID();
    const abort = new AbortController();
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));
    // Claim the slot before any await so two triggers in the same tick cannot both start.
    this.running.set(name, { runId, abort, done });
    const give = () => {
      this.running.delete(name);
      resolveDone();
    };
    let lock: { release(): Promise<void> } | undefined;
    let release: () => Promise<void> = async () => undefined;
    try {
      lock = await this.lock(name);
      if (!lock) {
        give();
        if (trigger === 'manual') throw new ConflictException(`Job "${name}" is running on another instance; wait for it to finish.`);
        return undefined;
      }
      const held = lock;
      release = () => held.release();
      await this.write((em) => em.getRepository(JobRunEntity).insert({
        id: runId,
        jobName: name,
        trigger,
        status: 'running',
        startedAt: nowIso(),
        finishedAt: null,
        summary: null,
        error: null,
        progressDone: null,
        progressTotal: null,
        instanceId: this.instanceId,
        slot,
      }));
    } catch (e) {
      await lock?.release();
      give();
      // Another instance already ran (or runs) this scheduled slot.
      if (slot && isUniqueViolation(e)) return undefined;
      throw e;
    }
    void this.execute(def, runId, abort).finally(async () => {
      await release();
      give();
    });
    return { runId, done };
  }

  private async execute(def: JobDefinition, runId: string, abort: AbortController): Promise<void> {
    let progress: { done: number; total: number | null } | null = null;
    let lastFlush = 0;
    const update = (patch: Partial<JobRunEntity>) => this.write((em) => em.getRepository(JobRunEntity).update({ id: runId }, patch));
    const flush = () => progress && update({ progressDone: progress.done, progressTotal: progress.total }).catch(() => undefined);
    let status: JobRunStatus = 'succeeded';
    let summary: Record<string, unknown> | null = null;
    let error: string | null = null;
    try {
      const result = await def.run({
        runId,
        signal: abort.signal,
        progress: (doneCount, total) => {
          progress = { done: doneCount, total: total ?? null };
          if (Date.now() - lastFlush > PROGRESS_FLUSH_MS) {
            lastFlush = Date.now();
            void flush();
          }
        },
      });
      summary = result ?? null;
      if (abort.signal.aborted) status = 'interrupted';
    } catch (e) {
      if (e instanceof SkipRun) {
        status = 'skipped';
        summary = { reason: e.message };
      } else {
        status = 'failed';
        error = (e as Error)?.message ?? String(e);
        this.logger.error(`job ${def.name} run ${runId} failed: ${error}`);
      }
    }
    const p = progress as { done: number; total: number | null } | null;
    await update({
      status,
      finishedAt: nowIso(),
      summary: summary ? JSON.stringify(summary) : null,
      error,
      progressDone: p?.done ?? null,
      progressTotal: p?.total ?? null,
    }).catch((e) => this.logger.error(`job ${def.name}: could not record the end of run ${runId}: ${(e as Error).message}`));
  }

  /** Runs of these jobs currently in progress in this process (for tests and shutdown). */
  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  /** Stops scheduling, asks running jobs to stop, and waits for them (bounded). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    if (this.refresh) clearInterval(this.refresh);
    for (const name of this.defs.keys()) {
      if (this.registry.doesExist('cron', name)) {
        this.registry.getCronJob(name).stop();
        this.registry.deleteCronJob(name);
      }
    }
    const inFlight = [...this.running.values()];
    if (!inFlight.length) return;
    this.logger.log(`Waiting for ${inFlight.length} running job(s) to finish`);
    const grace = new Promise<void>((r) => setTimeout(r, SHUTDOWN_GRACE_MS).unref());
    const all = Promise.all(inFlight.map((r) => r.done));
    await Promise.race([all, grace]);
    for (const r of this.running.values()) r.abort.abort();
    await Promise.race([all, new Promise<void>((r) => setTimeout(r, 5000).unref())]);
  }
}

export class BadCronError extends Error {}

function toRunView(row: JobRunEntity): JobRunView {
  return {
    id: row.id,
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

