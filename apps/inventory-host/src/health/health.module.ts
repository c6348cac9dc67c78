import { Module } from '@nestjs/common';
import { PluginsModule } from '../plugins/plugins.module';
import { SyncModule } from '../sync/sync.module';
import { HealthController } from './health.controller';

/** GET /health: database, plugins and the stored channel health checks. */
@Module({
  imports: [PluginsModule, SyncModule],
  controllers: [HealthController],
})
export class HealthModule {}
