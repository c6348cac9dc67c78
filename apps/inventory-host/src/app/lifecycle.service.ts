import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { JobSchedulerService } from '../jobs/job-scheduler.service';
import { PluginHostService } from '../plugins/plugin-host.service';

/**
 * Orders the graceful shutdown: stop scheduling and let running jobs finish, then deactivate the
 * plugins (disposing what they registered); the database closes after this, in TypeORM's own hook.
 */
@Injectable()
export class LifecycleService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Lifecycle');
  shuttingDown = false;

  constructor(
    private readonly jobs: JobSchedulerService,
    private readonly plugins: PluginHostService,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.shuttingDown = true;
    this.logger.log(`Shutting down${signal ? ` on ${signal}` : ''}`);
    await this.jobs.stopAll();
    await this.plugins.deactivateAll();
  }
}
