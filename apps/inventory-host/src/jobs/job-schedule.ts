import { Injectable } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob, CronTime } from 'cron';

/** The cron registrations of the jobs, in @nestjs/schedule's registry (one per job name). */
@Injectable()
export class JobSchedule {
  constructor(private readonly registry: SchedulerRegistry) {}

  /** Registers (or re-registers) the job's cron and starts it. */
  set(name: string, cron: string, onTick: () => void): void {
    this.remove(name);
    const job = CronJob.from({ cronTime: cron, onTick, start: false, waitForCompletion: false });
    this.registry.addCronJob(name, job);
    job.start();
  }

  remove(name: string): void {
    if (!this.registry.doesExist('cron', name)) return;
    this.registry.getCronJob(name).stop();
    this.registry.deleteCronJob(name);
  }

  /** When the job next runs, or null when it is not scheduled. */
  nextRunAt(name: string): string | null {
    if (!this.registry.doesExist('cron', name)) return null;
    const next = this.registry.getCronJob(name).nextDate();
    return next ? next.toJSDate().toISOString() : null;
  }
}

/** The scheduled instant a tick belongs to (the same on every instance, whatever their timing). */
export function slotOf(cron: string, now = Date.now()): string {
  return new CronTime(cron).getNextDateFrom(new Date(now - 1500)).toJSDate().toISOString();
}
