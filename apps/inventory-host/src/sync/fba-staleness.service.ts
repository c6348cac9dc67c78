import { Injectable } from '@nestjs/common';
import { ChannelSyncService, type LiveListingItem } from '@invsync/domain-channels';
import { ManagedWarehouseReconciliationService, isStaleRead } from '@invsync/domain-managed-warehouses';
import type { Page } from '@invsync/domain-shared';
import { ChannelConnectorsService } from './channel-connectors.service';

/** Used when neither the channel nor its plugin's schema names an age limit. */
export const DEFAULT_STALE_AFTER_MINUTES = 90;

/**
 * How old a channel-held (FBA) quantity may be before it is flagged stale. A channel-fulfilled channel
 * type states it through the `staleAfterMinutes` setting of its schema (the channel's value, else the
 * schema's `default`): the host reads no plugin-specific setting beyond that convention.
 */
@Injectable()
export class FbaStalenessService {
  constructor(
    private readonly channels: ChannelSyncService,
    private readonly connectors: ChannelConnectorsService,
    private readonly fba: ManagedWarehouseReconciliationService,
  ) {}

  async staleAfterMs(channelId: string): Promise<number> {
    const row = await this.channels.get(channelId);
    const settings = JSON.parse(row.pluginSettings) as Record<string, unknown>;
    const schemaDefault = this.connectors.contribution(row.type)?.settingsSchema.properties?.['staleAfterMinutes']?.default;
    const minutes = [settings['staleAfterMinutes'], schemaDefault].find((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0);
    return (minutes ?? DEFAULT_STALE_AFTER_MINUTES) * 60_000;
  }

  /** Adds `stale` to the channel-held items of a Live Listings page (merchant channels are unchanged). */
  async flagLive(channelId: string, page: Page<LiveListingItem>): Promise<Page<LiveListingItem & { stale?: boolean }>> {
    if (!page.items.some((i) => i.fulfillment === 'AFN')) return page;
    const ctx = await this.fba.stalenessOf(channelId, { staleAfterMs: await this.staleAfterMs(channelId) });
    return { ...page, items: page.items.map((i) => (i.fulfillment === 'AFN' ? { ...i, stale: isStaleRead(i.readAt ?? null, ctx) } : i)) };
  }
}
