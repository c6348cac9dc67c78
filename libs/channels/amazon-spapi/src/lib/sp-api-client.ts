import { FbaInventoryClient } from './apis/fba-inventory.api';
import { FeedsClient } from './apis/feeds.api';
import { ListingsItemsClient } from './apis/listings-items.api';
import { Orders2026Client } from './apis/orders-2026.api';
import { ReportsClient } from './apis/reports.api';
import { SellersClient } from './apis/sellers.api';
import type { SpApiClientOptions } from './client-options';
import { SpApiDocuments } from './documents';
import type { AmazonRegion } from './marketplaces';
import { SpApiTransport } from './transport/sp-api-transport';

/**
 * SP-API for one seller in one region: one wrapper per API over one transport, so every API shares
 * the seller's token, rate limits and retry policy. Safe to share.
 */
export class SpApiClient {
  readonly sellerId: string;
  readonly region: AmazonRegion;
  readonly endpoint: string;
  readonly listingsItems: ListingsItemsClient;
  readonly feeds: FeedsClient;
  readonly reports: ReportsClient;
  readonly fbaInventory: FbaInventoryClient;
  /** Orders API 2026-01-01. */
  readonly orders: Orders2026Client;
  readonly sellers: SellersClient;

  constructor(options: SpApiClientOptions) {
    const transport = new SpApiTransport(options);
    const documents = new SpApiDocuments(transport, options);
    this.sellerId = transport.sellerId;
    this.region = transport.region;
    this.endpoint = transport.endpoint;
    this.listingsItems = new ListingsItemsClient(transport);
    this.feeds = new FeedsClient(transport, documents);
    this.reports = new ReportsClient(transport, documents);
    this.fbaInventory = new FbaInventoryClient(transport);
    this.orders = new Orders2026Client(transport);
    this.sellers = new SellersClient(transport);
  }
}
