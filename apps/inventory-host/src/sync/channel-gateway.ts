import { Injectable } from '@nestjs/common';
import type { DeliveryConfirmation, QuantityResult, QuantityUpdate, RemoteQuantity } from '@invsync/plugin-api';
import type { ChannelGateway } from '@invsync/domain-sync';
import { ChannelConnectorsService } from '../channels/channel-connectors.service';

const DEFAULT_BATCH = 10_000;

/** The sync engine's way out: each call goes to the channel's plugin connector. */
@Injectable()
export class PluginChannelGateway implements ChannelGateway {
  constructor(private readonly connectors: ChannelConnectorsService) {}

  async maxBatchSize(channelId: string): Promise<number> {
    const { contribution } = await this.connectors.connector(channelId);
    return contribution.maxBatchSize ?? DEFAULT_BATCH;
  }

  async send(channelId: string, updates: QuantityUpdate[], signal: AbortSignal): Promise<QuantityResult[]> {
    const { connector, instance, contribution } = await this.connectors.connector(channelId);
    if (contribution.fulfilment !== 'merchant' || !contribution.capabilities.pushQuantities || !connector.pushQuantities) {
      throw new Error(`channel type "${instance.type}" does not receive quantities`);
    }
    return connector.pushQuantities({ channel: instance, updates, signal });
  }

  async canConfirm(channelId: string): Promise<boolean> {
    const { connector, contribution } = await this.connectors.connector(channelId);
    return !!contribution.capabilities.confirmDeliveries && !!connector.confirmDeliveries;
  }

  async confirm(channelId: string, receipts: { receipt: string; updateId: string }[], signal: AbortSignal): Promise<DeliveryConfirmation[]> {
    const { connector } = await this.connectors.connector(channelId);
    return connector.confirmDeliveries ? connector.confirmDeliveries(receipts, signal) : [];
  }

  async canPull(channelId: string): Promise<boolean> {
    const { connector, contribution } = await this.connectors.connector(channelId);
    return !!contribution.capabilities.pullQuantities && !!connector.pullQuantities;
  }

  async *pull(channelId: string, signal: AbortSignal): AsyncIterable<RemoteQuantity[]> {
    const { connector } = await this.connectors.connector(channelId);
    if (!connector.pullQuantities) return;
    yield* connector.pullQuantities(signal);
  }
}
