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
  private readonly firstHooks: { name: string; stop: () => Promise<void> }[] = [];

  constructor(
    private readonly jobs: JobSchedulerService,
    private readonly plugins: PluginHostService,
  ) {}

  /** Work that must stop before jobs and plugins (the sync dispatcher finishing its sends). */
  stopFirst(name: string, stop: () => Promise<void>): void {
    this.firstHooks.push({ name, stop });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.shuttingDown = true;
    this.logger.log(`Shutting down${signal ? ` on ${signal}` : ''}`);
    for (const h of this.firstHooks) {
      try {
        await h.stop();
      } catch (e) {
        this.logger.error(`stopping ${h.name} failed: ${(e as Error).message}`);
      }
    }
    await this.jobs.stopAll();
    await this.plugins.deactivateAll();
  }
}
