import { Injectable } from '@nestjs/common';
import { ChannelSyncService, type LiveListingItem } from '@invsync/domain-channels';
import { ManagedWarehouseReconciliationService, isStaleRead } from '@invsync/domain-managed-warehouses';
import type { Page } from '@invsync/domain-shared';
import { ChannelConnectorsService } from '../channels/channel-connectors.service';

/** Used when the channel type declares no staleness (`managedWarehouse.staleAfterMinutes`). */
export const DEFAULT_STALE_AFTER_MINUTES = 90;

/**
 * How old a channel-held quantity may be before it is flagged stale: the channel type declares
 * it in its contribution (`managedWarehouse.staleAfterMinutes`): the channel's value of the declared
 * setting, else the declared default.
 */
@Injectable()
export class ManagedStockStalenessService {
  constructor(
    private readonly channels: ChannelSyncService,
    private readonly connectors: ChannelConnectorsService,
    private readonly tool: ManagedWarehouseReconciliationService,
  ) {}

  async staleAfterMs(channelId: string): Promise<number> {
    const row = await this.channels.get(channelId);
    const declared = this.connectors.contribution(row.type)?.managedWarehouse?.staleAfterMinutes;
    const settings = JSON.parse(row.pluginSettings) as Record<string, unknown>;
    const own = declared?.settingKey ? settings[declared.settingKey] : undefined;
    const minutes = [own, declared?.default].find((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
    return (minutes ?? DEFAULT_STALE_AFTER_MINUTES) * 60_000;
  }

  /** Adds `stale` to the channel-held items of a Live Listings page (merchant channels are unchanged). */
  async flagLive(channelId: string, page: Page<LiveListingItem>): Promise<Page<LiveListingItem & { stale?: boolean }>> {
    if (!page.items.some((i) => i.fulfilment === 'channel')) return page;
    const ctx = await this.tool.stalenessOf(channelId, { staleAfterMs: await this.staleAfterMs(channelId) });
    return { ...page, items: page.items.map((i) => (i.fulfilment === 'channel' ? { ...i, stale: isStaleRead(i.readAt ?? null, ctx) } : i)) };
  }
}
