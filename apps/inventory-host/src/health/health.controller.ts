import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { LifecycleService } from '../app/lifecycle.service';
import { PluginHostService } from '../plugins/plugin-host.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly plugins: PluginHostService,
    private readonly lifecycle: LifecycleService,
  ) {}

  /** 200 when the database answers and the host is not shutting down; 503 otherwise. */
  @Get()
  async health(@Res({ passthrough: true }) res: Response) {
    let database: { status: 'up' | 'down'; type: string; error?: string } = { status: 'up', type: this.db.options.type };
    try {
      await this.db.query('SELECT 1');
    } catch (e) {
      database = { status: 'down', type: this.db.options.type, error: (e as Error).message };
    }
    const ready = database.status === 'up' && !this.lifecycle.shuttingDown;
    res.status(ready ? 200 : 503);
    return {
      status: ready ? 'ok' : 'unavailable',
      ...(this.lifecycle.shuttingDown ? { reason: 'shutting down' } : {}),
      database,
      plugins: this.plugins.list().map((r) => ({
        id: r.manifest?.id ?? null,
        state: r.state === 'activating' ? 'inactive' : r.state,
        ...(r.error ? { error: r.error } : {}),
      })),
    };
  }
}
