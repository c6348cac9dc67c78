import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthResponse } from './health.responses';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { ChannelSyncService } from '@invsync/domain-channels';
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
    private readonly channels: ChannelSyncService,
  ) {}

  /**
   * 200 when the database answers and the host is not shutting down; 503 otherwise. `channels` is the
   * health last stored for each channel (`POST /api/v1/channels/:id/health-check`): nothing here calls
   * a marketplace, so /health stays fast. A failing channel does not make the host unhealthy.
   */
  @Get()
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse, description: 'The database is unreachable or the host is shutting down' })
  async health(@Res({ passthrough: true }) res: Response) {
    let database: { status: 'up' | 'down'; type: string; error?: string } = { status: 'up', type: this.db.options.type };
    try {
      await this.db.query('SELECT 1');
    } catch (e) {
      database = { status: 'down', type: this.db.options.type, error: (e as Error).message };
    }
    const ready = database.status === 'up' && !this.lifecycle.shuttingDown;
    const channels = database.status === 'up' ? await this.channelHealth() : undefined;
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
      ...(channels ? { channels } : {}),
    };
  }

  /** Counts of the stored channel health checks, and which channels fail (ids only: /health needs no token). */
  private async channelHealth() {
    try {
      const rows = await this.channels.list();
      const failing = rows.filter((c) => c.healthOk !== null && !c.healthOk);
      return {
        total: rows.length,
        ok: rows.filter((c) => c.healthOk !== null && !!c.healthOk).length,
        failing: failing.length,
        unchecked: rows.filter((c) => c.healthOk === null).length,
        failingChannels: failing.map((c) => ({ id: c.id, type: c.type, checkedAt: c.healthCheckedAt })),
      };
    } catch (e) {
      return { error: (e as Error).message };
    }
  }
}
