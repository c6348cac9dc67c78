import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminThrottlerGuard } from '../auth/admin-throttler.guard';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { DomainExceptionFilter } from '../common/domain-exception.filter';
import { CsvModule } from '../csv/csv.module';
import { dataSourceOptions, openDataSource } from '../database/data-source-options';
import { HealthModule } from '../health/health.module';
import { InventoryModule } from '../inventory/inventory.module';
import { JobsModule } from '../jobs/jobs.module';
import { PluginsModule } from '../plugins/plugins.module';
import { SyncModule } from '../sync/sync.module';
import { HostOptions } from './host-options';
import { InstanceLockRelease, INSTANCE_LOCK } from './instance-lock-release';
import { LifecycleService } from './lifecycle.service';

/** The host: wiring only. Domain logic lives in libs/domain, channel logic in the plugins. */
@Module({})
export class AppModule {
  /** `instanceLock`: released at shutdown once the database is closed (SQLite). */
  static forRoot(options: HostOptions, instanceLock: { release(): void } | null = null): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ScheduleModule.forRoot(),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'admin', limit: options.config.adminRateLimit.limit, ttl: options.config.adminRateLimit.windowMs }],
          errorMessage: `Too many requests to the admin API (limit ${options.config.adminRateLimit.limit} per ${options.config.adminRateLimit.windowMs} ms): retry later`,
        }),
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(options.config.database),
          dataSourceFactory: (opts) => {
            if (!opts) throw new Error('TypeORM gave no data source options');
            return openDataSource(opts);
          },
        }),
        // First: its /products/export and /listings/export must be routed before /products/:id and /listings/:id.
        CsvModule,
        JobsModule,
        PluginsModule,
        InventoryModule,
        SyncModule,
        HealthModule,
      ],
      providers: [
        { provide: HostOptions, useValue: options },
        // Order matters: the rate limit applies before the token check (limits token guessing).
        { provide: APP_GUARD, useClass: AdminThrottlerGuard },
        { provide: APP_GUARD, useClass: AdminTokenGuard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        LifecycleService,
        { provide: INSTANCE_LOCK, useValue: instanceLock },
        InstanceLockRelease,
      ],
      // Global: the sync engine's services take the scheduler and the plugin host from here.
      exports: [HostOptions, LifecycleService, JobsModule, PluginsModule],
    };
  }
}
