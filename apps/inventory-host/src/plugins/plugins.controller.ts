import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { PluginResponse } from './plugins.responses';
import { INVENTORY_SYNC_API_VERSION } from '@invsync/plugin-api';
import { PluginHostService } from './plugin-host.service';
import { describeSource } from './plugin-source';

@ApiTags('plugins')
@ApiBearerAuth()
@Controller('plugins')
export class PluginsController {
  constructor(private readonly host: PluginHostService) {}

  @Get()
  @ApiOkResponse({ type: [PluginResponse] })
  list() {
    return this.host.list().map((r) => ({
      id: r.manifest?.id ?? null,
      displayName: r.manifest?.displayName ?? null,
      version: r.manifest?.version ?? null,
      source: describeSource(r.source),
      apiVersion: INVENTORY_SYNC_API_VERSION,
      engine: r.manifest?.engines?.['inventory-sync'] ?? null,
      state: r.state === 'activating' ? 'inactive' : r.state,
      ...(r.error ? { error: r.error } : {}),
      activatedAt: r.activatedAt ?? null,
      activationEvents: r.manifest?.activationEvents ?? [],
      contributes: r.manifest?.contributes ?? {},
    }));
  }
}
