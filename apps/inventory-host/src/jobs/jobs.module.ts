import { Module } from '@nestjs/common';
import { JobInstanceLock } from './job-instance-lock';
import { JobRunHistory } from './job-run-history';
import { JobSchedule } from './job-schedule';
import { JobSchedulerService } from './job-scheduler.service';
import { JobSettingsStore } from './job-settings.store';
import { JobRunsController } from './job-runs.controller';
import { JobsController } from './jobs.controller';

/**
 * Scheduled jobs: cron registration, the cross-instance run lock, operators' overrides and the run
 * history behind one JobSchedulerService, and their REST routes. Needs the app's HostOptions,
 * DataSource and ScheduleModule.
 */
@Module({
  controllers: [JobsController, JobRunsController],
  providers: [JobSchedule, JobInstanceLock, JobSettingsStore, JobRunHistory, JobSchedulerService],
  exports: [JobSchedulerService],
})
export class JobsModule {}
