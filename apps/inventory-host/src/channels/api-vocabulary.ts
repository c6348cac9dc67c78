import { Injectable } from '@nestjs/common';
import type { ChannelTypeContribution } from '@invsync/plugin-api';
import { ChannelSyncService, type Fulfilment } from '@invsync/domain-channels';
import type { Page } from '@invsync/domain-shared';
import { PluginHostService } from '../plugins/plugin-host.service';

/** The admin API's words for one channel type: the plugin's where it names them, the host's otherwise. */
export interface ApiVocabulary {
  fulfilment: Record<Fulfilment, string>;
  managedWarehouseSetting: string;
  managedWarehouseTool: string;
  channelQuantityField: string;
}

/** The host's own words (also what a channel of an unloaded plugin is shown with). */
export const HOST_VOCABULARY: ApiVocabulary = {
  fulfilment: { merchant: 'merchant', channel: 'channel' },
  managedWarehouseSetting: 'managedWarehouseId',
  managedWarehouseTool: 'managed-warehouse',
  channelQuantityField: 'channelQuantity',
};

export function vocabularyOf(contribution: ChannelTypeContribution | undefined): ApiVocabulary {
  const v = contribution?.vocabulary ?? {};
  return {
    fulfilment: v.fulfilment ?? HOST_VOCABULARY.fulfilment,
    managedWarehouseSetting: v.managedWarehouseSetting ?? HOST_VOCABULARY.managedWarehouseSetting,
    managedWarehouseTool: v.managedWarehouseTool ?? HOST_VOCABULARY.managedWarehouseTool,
    channelQuantityField: v.channelQuantityField ?? HOST_VOCABULARY.channelQuantityField,
  };
}

/** Shows a listing (or Live Listings item) with its type's fulfilment label under the API's `fulfillment`. */
export function withFulfillmentLabel<T extends { fulfilment: Fulfilment }>(item: T, words: ApiVocabulary): T & { fulfillment: string } {
  return { ...item, fulfillment: words.fulfilment[item.fulfilment] };
}

/** Renames the channel's quantity of a reconciliation answer to the type's field name. */
export function withQuantityField<T extends { channelQuantity: number }>(item: T, words: ApiVocabulary): Omit<T, 'channelQuantity'> & Record<string, number> {
  const { channelQuantity, ...rest } = item;
  return { ...rest, [words.channelQuantityField]: channelQuantity };
}

/** The words of a channel's type, for the controllers that answer with listings and reconciliation results. */
@Injectable()
export class ApiVocabularyService {
  constructor(
    private readonly plugins: PluginHostService,
    private readonly channels: ChannelSyncService,
  ) {}

  ofType(type: string): ApiVocabulary {
    return vocabularyOf(this.plugins.channelType(type));
  }

  async ofChannel(channelId: string): Promise<ApiVocabulary> {
    return this.ofType((await this.channels.get(channelId)).type);
  }

  async listing<T extends { channelId: string; fulfilment: Fulfilment }>(view: T): Promise<T & { fulfillment: string }> {
    return withFulfillmentLabel(view, await this.ofChannel(view.channelId));
  }

  async page<T extends { fulfilment: Fulfilment }>(channelId: string, page: Page<T>): Promise<Page<T & { fulfillment: string }>> {
    const words = await this.ofChannel(channelId);
    return { ...page, items: page.items.map((i) => withFulfillmentLabel(i, words)) };
  }
}
