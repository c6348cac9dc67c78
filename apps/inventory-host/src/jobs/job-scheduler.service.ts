import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { isUniqueViolation, NotFoundError } from '@invsync/domain-shared';
import { HostOptions } from '../app/host-options';
import type { JobTrigger } from '../database/entities/job-run.entity';
import { checkCron } from '../plugins/manifest-validator';
import type { JobDefinition } from './job-definition';
import { badCron, JobBusyError, unknownJob } from './job-errors';
import { executeJob } from './job-execution';
import { type HeldJobLock, JobInstanceLock } from './job-instance-lock';
import { JobRunHistory, type JobRunView } from './job-run-history';
import { JobSchedule, slotOf } from './job-schedule';
import { type JobSettingsPatch, JobSettingsStore } from './job-settings.store';

export { SkipRun, type JobDefinition, type JobExecution } from './job-definition';
export type { JobRunView } from './job-run-history';

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

const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Scheduled jobs of the host and the plugins: cron from the definition or an operator's override,
 * runs recorded with status, summary, error and progress; one run of a job at a time (across
 * instances too); a failed run does not stop the next.
 */
@Injectable()
export class JobSchedulerService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Jobs');
  private readonly defs = new Map<string, JobDefinition>();
  private readonly running = new Map<string, { runId: string; abort: AbortController; done: Promise<void> }>();
  private readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private started = false;
  private stopping = false;
  private refresh?: NodeJS.Timeout;

  constructor(
    private readonly options: HostOptions,
    private readonly schedule: JobSchedule,
    private readonly lock: JobInstanceLock,
    private readonly settings: JobSettingsStore,
    private readonly history: JobRunHistory,
  ) {}

  define(def: JobDefinition): void {
    if (this.defs.has(def.name)) throw new Error(`job "${def.name}" is defined twice`);
    this.defs.set(def.name, def);
    if (this.started) this.reschedule(def.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.interruptOrphanedRuns();
    await this.settings.load();
    this.started = true;
    for (const name of this.defs.keys()) this.reschedule(name);
    // Another instance may change a job's cron or switch it off: pick that up.
    if (this.lock.shared) {
      this.refresh = setInterval(() => void this.refreshSettings().catch(() => undefined), this.options.config.jobSettingsRefreshMs);
      this.refresh.unref();
    }
  }

  /**
   * Runs left "running" by a process that died cannot finish any more. With a shared database another
   * instance may really be running the job: only runs whose job lock is free are interrupted.
   */
  private async interruptOrphanedRuns(): Promise<void> {
    if (!this.lock.shared) {
      await this.history.interrupt('the host stopped during this run');
      return;
    }
    for (const name of await this.history.runningJobNames()) {
      const held = await this.lock.tryAcquire(name);
      if (!held) continue;
      await this.history.interrupt('the instance running it stopped', name);
      await held.release();
    }
  }

  private async refreshSettings(): Promise<void> {
    if (this.stopping) return;
    for (const name of await this.settings.load()) {
      if (this.defs.has(name)) this.reschedule(name);
    }
  }

  private cronOf(name: string): string {
    return this.settings.cronOf(name) ?? this.getDef(name).defaultCron;
  }

  private reschedule(name: string): void {
    this.schedule.remove(name);
    if (!this.options.config.schedulerEnabled || this.stopping || !this.settings.enabledOf(name)) return;
    this.schedule.set(name, this.cronOf(name), () => {
      void this.trigger(name, 'schedule', slotOf(this.cronOf(name))).catch((e) => this.logger.error(`job ${name}: ${(e as Error).message}`));
    });
  }

  private getDef(name: string): JobDefinition {
    const def = this.defs.get(name);
    if (!def) throw unknownJob(name);
    return def;
  }

  async list(): Promise<JobView[]> {
    const names = [...this.defs.keys()].sort();
    const last = await this.history.lastRuns(names);
    return names.map((n) => this.view(n, last.get(n) ?? null));
  }

  async describe(name: string): Promise<JobView> {
    this.getDef(name);
    return this.view(name, (await this.history.lastRuns([name])).get(name) ?? null);
  }

  private view(name: string, lastRun: JobRunView | null): JobView {
    const def = this.getDef(name);
    return {
      name,
      plugin: def.owner,
      description: def.description,
      cron: this.cronOf(name),
      defaultCron: def.defaultCron,
      enabled: this.settings.enabledOf(name),
      running: this.running.has(name),
      nextRunAt: this.schedule.nextRunAt(name),
      lastRun,
    };
  }

  async runs(name: string, limit: number, cursor?: string): Promise<{ items: JobRunView[]; nextCursor: string | null }> {
    this.getDef(name);
    return this.history.page(name, limit, cursor);
  }

  async update(name: string, patch: JobSettingsPatch): Promise<JobView> {
    this.getDef(name);
    if (patch.cron !== undefined) {
      const problem = checkCron(patch.cron);
      if (problem) throw badCron(problem);
    }
    await this.settings.save(name, patch);
    this.reschedule(name);
    return this.describe(name);
  }

  /**
   * Starts a run unless one is in progress (a scheduled tick is then dropped; a manual request gets
   * JobBusyError). Resolves with the run id once the run is recorded; the run goes on in the background.
   */
  async trigger(name: string, trigger: JobTrigger, slot: string | null = null): Promise<{ runId: string; done: Promise<void> } | undefined> {
    return this.launch(this.getDef(name), trigger, slot);
  }

  /**
   * Runs long work asked for by an API request as a job run of its own (`task.name`, e.g.
   * `channel.reconcile:<channelId>`), one at a time per name across instances, recorded and followed
   * like any run (`GET /api/v1/job-runs/:id`). Asked again while it runs, it answers the running run.
   */
  async runTask(task: Omit<JobDefinition, 'defaultCron'>): Promise<{ runId: string; started: boolean }> {
    const current = this.running.get(task.name);
    if (current) return { runId: current.runId, started: false };
    const started = await this.launch({ ...task, defaultCron: '' }, 'request', null, true);
    if (started) return { runId: started.runId, started: true };
    const elsewhere = await this.history.runningRun(task.name);
    if (elsewhere) return { runId: elsewhere.id, started: false };
    throw new JobBusyError(`"${task.name}" is starting on another instance; ask again in a moment.`);
  }

  /** A run, with its job's name, status, progress, summary and error. */
  async run(runId: string): Promise<JobRunView> {
    const run = await this.history.get(runId);
    if (!run) throw new NotFoundError(`No job run with id "${runId}".`);
    return run;
  }

  private async launch(def: JobDefinition, trigger: JobTrigger, slot: string | null, quiet = false): Promise<{ runId: string; done: Promise<void> } | undefined> {
    const name = def.name;
    if (this.stopping) throw new JobBusyError('The host is shutting down; no new job runs start.');
    const current = this.running.get(name);
    if (current) {
      if (trigger === 'manual' && !quiet) throw new JobBusyError(`Job "${name}" is already running (run ${current.runId}); wait for it to finish.`);
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
    let held: HeldJobLock | undefined;
    try {
      held = await this.lock.tryAcquire(name);
      if (!held) {
        give();
        if (trigger === 'manual' && !quiet) throw new JobBusyError(`Job "${name}" is running on another instance; wait for it to finish.`);
        return undefined;
      }
      await this.history.start({ id: runId, jobName: name, trigger, slot, instanceId: this.instanceId });
    } catch (e) {
      if (e instanceof JobBusyError) throw e;
      await held?.release();
      give();
      // Another instance already ran (or runs) this scheduled slot.
      if (slot && isUniqueViolation(e)) return undefined;
      throw e;
    }
    const lock = held;
    void executeJob(def, runId, abort, this.history, this.logger).finally(async () => {
      await lock.release();
      give();
    });
    return { runId, done };
  }

  /** Runs of these jobs currently in progress in this process (for tests and shutdown). */
  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  /** Stops scheduling, asks running jobs to stop, and waits for them (bounded). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    if (this.refresh) clearInterval(this.refresh);
    for (const name of this.defs.keys()) this.schedule.remove(name);
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
