import { randomBytes, randomUUID } from 'node:crypto';
import { marketplace, type SandboxRegion } from './marketplaces';

export interface SellerRecord {
  sellerId: string;
  regions: SandboxRegion[];
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  storeName: string;
  /** Marketplaces the seller participates in; default every marketplace of its regions that has listings, else all. */
  marketplaceIds?: string[];
}

export type FulfillmentChannel = 'MFN' | 'AFN';

export interface ListingRecord {
  sellerId: string;
  sku: string;
  marketplaceIds: Set<string>;
  fulfillmentChannel: FulfillmentChannel;
  productType: string;
  asin: string;
  title: string;
  price: string;
  createdDate: string;
  lastUpdatedDate: string;
}

/** The `fulfillment_availability` attribute entry of channel DEFAULT, per quantity pool. */
export interface AvailabilityRecord {
  fulfillment_channel_code: 'DEFAULT';
  quantity?: number;
  lead_time_to_ship_max_days?: number;
  restock_date?: string;
  [key: string]: unknown;
}

export interface FbaRecord {
  sellerId: string;
  marketplaceId: string;
  sku: string;
  asin: string;
  fnSku: string;
  productName: string;
  condition: string;
  fulfillable: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  reserved: number;
  unfulfillable: number;
  researching: number;
  lastUpdatedTime: string;
}

export interface OrderItemRecord {
  orderItemId: string;
  sku: string;
  asin: string;
  title: string;
  quantityOrdered: number;
  quantityShipped: number;
  itemPrice?: string;
}

export type OrderStatus = 'Pending' | 'Unshipped' | 'PartiallyShipped' | 'Shipped' | 'Canceled' | 'Unfulfillable' | 'InvoiceUnconfirmed' | 'PendingAvailability';

export interface OrderRecord {
  sellerId: string;
  amazonOrderId: string;
  marketplaceId: string;
  fulfillmentChannel: FulfillmentChannel;
  orderStatus: OrderStatus;
  purchaseDate: string;
  lastUpdateDate: string;
  currencyCode: string;
  items: OrderItemRecord[];
}

export interface CallLogEntry {
  seq: number;
  /** ISO time of arrival. */
  time: string;
  /** Arrival, epoch milliseconds with sub-millisecond precision. */
  timeMs: number;
  method: string;
  path: string;
  operation: string;
  sellerId?: string;
  sku?: string;
  marketplaceIds?: string[];
  quantity?: number;
  /** HTTP status answered; 0 when the connection was dropped (timeout fault). */
  status: number;
  fault?: string;
}

export interface HttpFault {
  id: string;
  kind: '429' | '500' | 'timeout';
  remaining: number;
  operation?: string;
  sellerId?: string;
  /** timeout: how long to hang before dropping the connection. */
  hangMs?: number;
}

export interface DocumentRecord {
  id: string;
  kind: 'feed-input' | 'feed-result' | 'report';
  sellerId: string;
  contentType: string;
  content?: Buffer;
  compressionAlgorithm?: 'GZIP';
}

export type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';

export interface FeedRecord {
  feedId: string;
  sellerId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdTime: string;
  processingStatus: ProcessingStatus;
  processingStartTime?: string;
  processingEndTime?: string;
  resultFeedDocumentId?: string;
  forceFatal?: boolean;
}

export interface ReportRecord {
  reportId: string;
  sellerId: string;
  reportType: string;
  marketplaceIds: string[];
  dataStartTime?: string;
  dataEndTime?: string;
  createdTime: string;
  processingStatus: ProcessingStatus;
  processingStartTime?: string;
  processingEndTime?: string;
  reportDocumentId?: string;
}

export interface AccessTokenRecord {
  sellerId: string;
  expiresAt: number;
}

export interface PageTokenRecord {
  sellerId: string;
  scope: string;
  offset: number;
  expiresAt: number;
}

export function isEuMarketplace(marketplaceId: string): boolean {
  return marketplace(marketplaceId)?.region === 'EU';
}

/** Where a merchant-fulfilled quantity lives: per seller+SKU in the EU, per seller+marketplace+SKU elsewhere. */
export function poolKey(sellerId: string, marketplaceId: string, sku: string): string {
  return isEuMarketplace(marketplaceId) ? `${sellerId}\u0000EU\u0000${sku}` : `${sellerId}\u0000${marketplaceId}\u0000${sku}`;
}

export function fbaKey(sellerId: string, marketplaceId: string, sku: string): string {
  return `${sellerId}\u0000${marketplaceId}\u0000${sku}`;
}

export function listingKey(sellerId: string, sku: string): string {
  return `${sellerId}\u0000${sku}`;
}

/** The sandbox's whole in-memory world. */
export class SandboxState {
  readonly sellers = new Map<string, SellerRecord>();
  readonly listings = new Map<string, ListingRecord>();
  readonly availability = new Map<string, AvailabilityRecord>();
  readonly fba = new Map<string, FbaRecord>();
  readonly orders = new Map<string, OrderRecord>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly pageTokens = new Map<string, PageTokenRecord>();
  readonly documents = new Map<string, DocumentRecord>();
  readonly feeds = new Map<string, FeedRecord>();
  readonly reports = new Map<string, ReportRecord>();
  readonly calls: CallLogEntry[] = [];
  faults: HttpFault[] = [];
  fatalFeeds = 0;
  /** SKU -> seller ID (or `*`) of SKUs whose updates come back INVALID / ERROR. */
  readonly invalidSkus = new Map<string, string>();
  private seq = 0;
  private feedSeq = 50_000_000;
  private reportSeq = 70_000_000;

  nextFeedId(): string {
    return String(++this.feedSeq);
  }

  nextReportId(): string {
    return String(++this.reportSeq);
  }

  newDocumentId(): string {
    return `amzn1.tortuga.4.sandbox.${randomUUID()}`;
  }

  newToken(prefix: string): string {
    return `${prefix}${randomBytes(24).toString('base64url')}`;
  }

  log(entry: Omit<CallLogEntry, 'seq'>): CallLogEntry {
    const e = { seq: ++this.seq, ...entry };
    this.calls.push(e);
    if (this.calls.length > 200_000) this.calls.splice(0, this.calls.length - 200_000);
    return e;
  }

  sellerByRefreshToken(refreshToken: string): SellerRecord | undefined {
    for (const s of this.sellers.values()) if (s.refreshToken === refreshToken) return s;
    return undefined;
  }

  getListing(sellerId: string, sku: string): ListingRecord | undefined {
    return this.listings.get(listingKey(sellerId, sku));
  }

  getAvailability(sellerId: string, marketplaceId: string, sku: string): AvailabilityRecord | undefined {
    return this.availability.get(poolKey(sellerId, marketplaceId, sku));
  }

  setAvailability(sellerId: string, marketplaceId: string, sku: string, value: AvailabilityRecord): void {
    this.availability.set(poolKey(sellerId, marketplaceId, sku), value);
  }

  isInvalidSku(sellerId: string, sku: string): boolean {
    const who = this.invalidSkus.get(sku);
    return who !== undefined && (who === '*' || who === sellerId);
  }

  /** Consumes one matching HTTP fault, if any. */
  takeFault(operation: string, sellerId: string | undefined): HttpFault | undefined {
    const f = this.faults.find(
      (x) => x.remaining > 0 && (!x.operation || x.operation === operation) && (!x.sellerId || x.sellerId === sellerId),
    );
    if (!f) return undefined;
    f.remaining--;
    this.faults = this.faults.filter((x) => x.remaining > 0);
    return f;
  }

  /** The current quantities: one row per pool (EU: per seller+SKU, elsewhere per seller+marketplace+SKU). */
  quantities(filter: { sellerId?: string; sku?: string; marketplaceId?: string } = {}): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const [key, a] of this.availability) {
      const [sellerId, where, sku] = key.split('\u0000');
      if (filter.sellerId && filter.sellerId !== sellerId) continue;
      if (filter.sku && filter.sku !== sku) continue;
      if (filter.marketplaceId) {
        const inPool = where === 'EU' ? isEuMarketplace(filter.marketplaceId) : where === filter.marketplaceId;
        if (!inPool) continue;
      }
      const listing = this.getListing(sellerId, sku);
      out.push({
        sellerId,
        sku,
        region: where === 'EU' ? 'EU' : marketplace(where)?.region,
        marketplaceId: where === 'EU' ? null : where,
        marketplaceIds: listing ? [...listing.marketplaceIds].filter((m) => (where === 'EU' ? isEuMarketplace(m) : m === where)) : [],
        fulfillmentChannel: listing?.fulfillmentChannel ?? null,
        quantity: a.quantity ?? null,
        leadTimeToShipMaxDays: a.lead_time_to_ship_max_days ?? null,
        restockDate: a.restock_date ?? null,
      });
    }
    return out;
  }

  reset(): void {
    this.sellers.clear();
    this.listings.clear();
    this.availability.clear();
    this.fba.clear();
    this.orders.clear();
    this.accessTokens.clear();
    this.pageTokens.clear();
    this.documents.clear();
    this.feeds.clear();
    this.reports.clear();
    this.calls.length = 0;
    this.faults = [];
    this.fatalFeeds = 0;
    this.invalidSkus.clear();
  }
}
