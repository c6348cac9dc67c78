import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { PluginHostService } from './plugin-host.service';
import { PluginsController } from './plugins.controller';

/** Plugin loading and activation (jobs contributed by plugins go to the scheduler), and the plugins route. */
@Module({
  imports: [JobsModule],
  controllers: [PluginsController],
  providers: [PluginHostService],
  exports: [PluginHostService],
})
export class PluginsModule {}
