import { Injectable } from '@nestjs/common';
import type { ChannelInstance, ChannelOrder, RecordedOrder, RemoteQuantity } from '@invsync/plugin-api';
import { ChannelSyncService } from '@invsync/domain-channels';
import { ReconciliationService } from '@invsync/domain-sync';
import { OrderService } from '@invsync/domain-orders';
import { withRemedyInMessage } from '../common/remedy-text';
import { ChannelDirectoryPort, ListingReporterPort, OrderPort } from '../plugins/host-ports';
import { ChannelConnectorsService } from '../channels/channel-connectors.service';

/** Plugins record downloaded orders through the host's order service (allocation happens here; an order it cannot allocate yet answers `parked`). */
@Injectable()
export class HostOrderPort extends OrderPort {
  constructor(private readonly orders: OrderService) {
    super();
  }

  async record(order: ChannelOrder): Promise<RecordedOrder> {
    const { order: o, created } = await this.orders
      .record({
        channelId: order.channelId,
        externalId: order.externalId,
        lines: order.lines,
        status: order.status,
        fulfilledByChannel: order.fulfilledByChannel,
        actor: 'channel',
      })
      .catch((e: unknown) => {
        throw withRemedyInMessage(e);
      });
    return o.parkedReason ? { orderId: o.id, created, status: o.status, parkedReason: o.parkedReason } : { orderId: o.id, created, status: o.status };
  }
}

/** Channels of a plugin's types, as its jobs see them (secrets decrypted). */
@Injectable()
export class HostChannelDirectory extends ChannelDirectoryPort {
  constructor(
    private readonly channels: ChannelSyncService,
    private readonly connectors: ChannelConnectorsService,
  ) {
    super();
  }

  async channelsOfTypes(types: string[]): Promise<ChannelInstance<object>[]> {
    return (await this.channels.list()).filter((c) => types.includes(c.type)).map((c) => this.connectors.instance(c));
  }

  typesInUse(): Promise<string[]> {
    return this.channels.typesInUse();
  }
}

/** Plugins report what their channels show (the stock they hold in their own network) through the host, which stores it on the listings. */
@Injectable()
export class HostListingReporter extends ListingReporterPort {
  constructor(
    private readonly channels: ChannelSyncService,
    private readonly reconciliation: ReconciliationService,
  ) {
    super();
  }

  async recordRemoteQuantities(channelId: string, pages: AsyncIterable<RemoteQuantity[]> | RemoteQuantity[]) {
    await this.channels.get(channelId);
    const iterable: AsyncIterable<RemoteQuantity[]> = Array.isArray(pages)
      ? (async function* () {
          yield pages;
        })()
      : pages;
    return this.reconciliation.storeRemoteQuantities(channelId, iterable);
  }
}
