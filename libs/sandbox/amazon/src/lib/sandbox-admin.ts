import { randomUUID } from 'node:crypto';
import { marketplace, type SandboxRegion } from './marketplaces';
import { FULFILLMENT_STATUS } from './orders-2026.routes';
import {
  fbaKey,
  listingKey,
  type CallLogEntry,
  type FbaRecord,
  type FulfillmentChannel,
  type HttpFault,
  type OrderRecord,
  type OrderStatus,
  type SandboxState,
  type SellerRecord,
} from './sandbox-state';

export interface SellerSeed {
  sellerId: string;
  /** One region or several (`regions`). */
  region?: SandboxRegion;
  regions?: SandboxRegion[];
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  storeName?: string;
  marketplaceIds?: string[];
}

export interface ListingSeed {
  sellerId: string;
  sku: string;
  marketplaceId: string;
  fulfillmentChannel?: FulfillmentChannel;
  /** MFN quantity (EU: shared by the seller's SKU across EU marketplaces; the last seed wins). */
  quantity?: number;
  leadTimeToShipMaxDays?: number;
  restockDate?: string;
  productType?: string;
  asin?: string;
  title?: string;
  price?: string;
}

export interface FbaSeed {
  sellerId: string;
  marketplaceId: string;
  sku: string;
  fulfillable: number;
  inboundWorking?: number;
  inboundShipped?: number;
  inboundReceiving?: number;
  reserved?: number;
  unfulfillable?: number;
  researching?: number;
  asin?: string;
  fnSku?: string;
  productName?: string;
  condition?: string;
  lastUpdatedTime?: string;
}

export interface OrderSeed {
  sellerId: string;
  amazonOrderId?: string;
  marketplaceId: string;
  fulfillmentChannel?: FulfillmentChannel;
  orderStatus?: OrderStatus;
  /** Orders API 2026-01-01's word for the status (`UNSHIPPED`, `CANCELLED`...); instead of `orderStatus`. */
  fulfillmentStatus?: string;
  purchaseDate?: string;
  lastUpdateDate?: string;
  items: Array<{ sku: string; quantity: number; quantityShipped?: number; asin?: string; title?: string; itemPrice?: string; orderItemId?: string }>;
  /**
   * As a buyer on Amazon: a new MFN order is placed only if each item's listing shows at least its
   * quantity at this moment (checked and taken off in one step); otherwise it is not placed and is left
   * out of the answer.
   */
  onlyIfAvailable?: boolean;
}

export interface CallFilter {
  operation?: string;
  sellerId?: string;
  sku?: string;
  status?: number;
  /** Only entries with seq greater than this. */
  afterSeq?: number;
  /** Only entries at or after this ISO time. */
  since?: string;
}

export class SeedError extends Error {}

const ORDER_STATUSES: OrderStatus[] = ['Pending', 'Unshipped', 'PartiallyShipped', 'Shipped', 'Canceled', 'Unfulfillable', 'InvoiceUnconfirmed', 'PendingAvailability'];

/** Statuses whose units are off the listing's quantity (placed and not cancelled). */
const TAKES_UNITS: OrderStatus[] = ['Pending', 'Unshipped', 'PartiallyShipped', 'Shipped', 'InvoiceUnconfirmed', 'PendingAvailability'];

/** The sandbox's status of an Orders API 2026-01-01 `fulfillmentStatus`; refuses unknown words. */
function statusOf2026(fulfillmentStatus: string | undefined): OrderStatus | undefined {
  if (fulfillmentStatus === undefined) return undefined;
  const found = (Object.entries(FULFILLMENT_STATUS) as Array<[OrderStatus, string]>).find(([, v]) => v === fulfillmentStatus);
  must(found, `fulfillmentStatus must be one of ${[...new Set(Object.values(FULFILLMENT_STATUS))].join(', ')}`);
  return found[0];
}

function must(cond: unknown, message: string): asserts cond {
  if (!cond) throw new SeedError(message);
}

function fakeAsin(sku: string): string {
  let h = 0;
  for (const c of sku) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `B0${h.toString(36).toUpperCase().padStart(8, '0').slice(0, 8)}`;
}

function fakeOrderId(): string {
  const n = () => Math.floor(Math.random() * 10_000_000).toString().padStart(7, '0');
  return `${100 + Math.floor(Math.random() * 900)}-${n()}-${n()}`;
}

/** Seeding, faults and inspection: what the `/_sandbox` routes and in-process tests use. */
export class SandboxAdmin {
  constructor(private readonly state: SandboxState) {}

  seedSellers(input: SellerSeed | SellerSeed[]): SellerRecord[] {
    return (Array.isArray(input) ? input : [input]).map((s) => {
      must(s && typeof s.sellerId === 'string' && s.sellerId, 'sellerId is required');
      const regions = s.regions ?? (s.region ? [s.region] : []);
      must(regions.length > 0 && regions.every((r) => ['NA', 'EU', 'FE'].includes(r)), `seller ${s.sellerId}: region(s) must be NA, EU or FE`);
      must(s.refreshToken && s.clientId && s.clientSecret, `seller ${s.sellerId}: refreshToken, clientId and clientSecret are required`);
      const other = this.state.sellerByRefreshToken(s.refreshToken);
      must(!other || other.sellerId === s.sellerId, `seller ${s.sellerId}: refresh token already used by another seller`);
      const record: SellerRecord = {
        sellerId: s.sellerId,
        regions: [...new Set(regions)],
        refreshToken: s.refreshToken,
        clientId: s.clientId,
        clientSecret: s.clientSecret,
        storeName: s.storeName ?? `${s.sellerId} Store`,
        ...(s.marketplaceIds ? { marketplaceIds: s.marketplaceIds } : {}),
      };
      this.state.sellers.set(record.sellerId, record);
      return record;
    });
  }

  seedListings(input: ListingSeed | ListingSeed[]): number {
    const list = Array.isArray(input) ? input : [input];
    const now = new Date().toISOString();
    for (const l of list) {
      must(l && l.sellerId && this.state.sellers.has(l.sellerId), `listing ${l?.sku}: unknown seller ${l?.sellerId}`);
      must(typeof l.sku === 'string' && l.sku !== '', 'listing: sku is required');
      const m = marketplace(l.marketplaceId);
      must(m, `listing ${l.sku}: unknown marketplaceId ${l.marketplaceId}`);
      must(this.state.sellers.get(l.sellerId)?.regions.includes(m.region), `listing ${l.sku}: seller ${l.sellerId} does not sell in ${m.region}`);
      const channel = l.fulfillmentChannel ?? 'MFN';
      must(channel === 'MFN' || channel === 'AFN', `listing ${l.sku}: fulfillmentChannel must be MFN or AFN`);
      must(l.quantity === undefined || (Number.isInteger(l.quantity) && l.quantity >= 0), `listing ${l.sku}: quantity must be an integer >= 0`);
      const key = listingKey(l.sellerId, l.sku);
      const existing = this.state.listings.get(key);
      const listing = existing ?? {
        sellerId: l.sellerId,
        sku: l.sku,
        marketplaceIds: new Set<string>(),
        fulfillmentChannel: channel,
        productType: l.productType ?? 'PRODUCT',
        asin: l.asin ?? fakeAsin(l.sku),
        title: l.title ?? `Sandbox product ${l.sku}`,
        price: l.price ?? '19.99',
        createdDate: now,
        lastUpdatedDate: now,
      };
      listing.marketplaceIds.add(l.marketplaceId);
      listing.fulfillmentChannel = channel;
      if (l.productType) listing.productType = l.productType;
      if (l.asin) listing.asin = l.asin;
      if (l.title) listing.title = l.title;
      if (l.price) listing.price = l.price;
      listing.lastUpdatedDate = now;
      this.state.listings.set(key, listing);
      if (channel === 'MFN' && (l.quantity !== undefined || l.leadTimeToShipMaxDays !== undefined || l.restockDate !== undefined)) {
        const prev = this.state.getAvailability(l.sellerId, l.marketplaceId, l.sku);
        this.state.setAvailability(l.sellerId, l.marketplaceId, l.sku, {
          ...(prev ?? { fulfillment_channel_code: 'DEFAULT' }),
          ...(l.quantity !== undefined ? { quantity: l.quantity } : {}),
          ...(l.leadTimeToShipMaxDays !== undefined ? { lead_time_to_ship_max_days: l.leadTimeToShipMaxDays } : {}),
          ...(l.restockDate !== undefined ? { restock_date: l.restockDate } : {}),
        });
      }
    }
    return list.length;
  }

  seedFba(input: FbaSeed | FbaSeed[]): number {
    const list = Array.isArray(input) ? input : [input];
    for (const f of list) {
      must(f && this.state.sellers.has(f.sellerId), `fba ${f?.sku}: unknown seller ${f?.sellerId}`);
      must(marketplace(f.marketplaceId), `fba ${f.sku}: unknown marketplaceId ${f.marketplaceId}`);
      must(typeof f.sku === 'string' && f.sku !== '', 'fba: sku is required');
      must(Number.isInteger(f.fulfillable) && f.fulfillable >= 0, `fba ${f.sku}: fulfillable must be an integer >= 0`);
      const listing = this.state.getListing(f.sellerId, f.sku);
      const record: FbaRecord = {
        sellerId: f.sellerId,
        marketplaceId: f.marketplaceId,
        sku: f.sku,
        asin: f.asin ?? listing?.asin ?? fakeAsin(f.sku),
        fnSku: f.fnSku ?? `X00${fakeAsin(f.sku).slice(2)}`,
        productName: f.productName ?? listing?.title ?? `Sandbox product ${f.sku}`,
        condition: f.condition ?? 'NewItem',
        fulfillable: f.fulfillable,
        inboundWorking: f.inboundWorking ?? 0,
        inboundShipped: f.inboundShipped ?? 0,
        inboundReceiving: f.inboundReceiving ?? 0,
        reserved: f.reserved ?? 0,
        unfulfillable: f.unfulfillable ?? 0,
        researching: f.researching ?? 0,
        lastUpdatedTime: f.lastUpdatedTime ?? new Date().toISOString(),
      };
      this.state.fba.set(fbaKey(f.sellerId, f.marketplaceId, f.sku), record);
      if (!listing) this.seedListings({ sellerId: f.sellerId, sku: f.sku, marketplaceId: f.marketplaceId, fulfillmentChannel: 'AFN', asin: record.asin, title: record.productName });
      else listing.marketplaceIds.add(f.marketplaceId);
    }
    return list.length;
  }

  upsertOrders(input: OrderSeed | OrderSeed[]): OrderRecord[] {
    return (Array.isArray(input) ? input : [input]).flatMap((o): OrderRecord[] => {
      must(o && this.state.sellers.has(o.sellerId), `order: unknown seller ${o?.sellerId}`);
      const m = marketplace(o.marketplaceId);
      must(m, `order: unknown marketplaceId ${o.marketplaceId}`);
      must(Array.isArray(o.items) && o.items.length > 0, 'order: at least one item is required');
      for (const i of o.items) must(i.sku && Number.isInteger(i.quantity) && i.quantity > 0, 'order item: sku and a positive integer quantity are required');
      const status = o.orderStatus ?? statusOf2026(o.fulfillmentStatus) ?? 'Unshipped';
      must(ORDER_STATUSES.includes(status), `order: OrderStatus must be one of ${ORDER_STATUSES.join(', ')}`);
      const now = new Date().toISOString();
      const id = o.amazonOrderId ?? fakeOrderId();
      const prev = this.state.orders.get(id);
      if (o.onlyIfAvailable && !prev && (o.fulfillmentChannel ?? 'MFN') === 'MFN' && TAKES_UNITS.includes(status)) {
        const short = o.items.some((i) => {
          const a = this.state.getAvailability(o.sellerId, o.marketplaceId, i.sku);
          return !a || typeof a.quantity !== 'number' || a.quantity < i.quantity;
        });
        if (short) return [];
      }
      const record: OrderRecord = {
        sellerId: o.sellerId,
        amazonOrderId: id,
        marketplaceId: o.marketplaceId,
        fulfillmentChannel: o.fulfillmentChannel ?? 'MFN',
        orderStatus: status,
        purchaseDate: o.purchaseDate ?? prev?.purchaseDate ?? now,
        lastUpdateDate: o.lastUpdateDate ?? now,
        currencyCode: m.defaultCurrencyCode,
        items: o.items.map((i, n) => ({
          orderItemId: i.orderItemId ?? `${id.replace(/-/g, '').slice(-10)}${String(n + 1).padStart(4, '0')}`,
          sku: i.sku,
          asin: i.asin ?? this.state.getListing(o.sellerId, i.sku)?.asin ?? fakeAsin(i.sku),
          title: i.title ?? this.state.getListing(o.sellerId, i.sku)?.title ?? `Sandbox product ${i.sku}`,
          quantityOrdered: i.quantity,
          quantityShipped: i.quantityShipped ?? 0,
          itemPrice: i.itemPrice ?? this.state.getListing(o.sellerId, i.sku)?.price ?? '19.99',
        })),
      };
      this.state.orders.set(id, record);
      if (!prev) this.reserveUnits(record, TAKES_UNITS.includes(record.orderStatus) ? -1 : 0);
      return [record];
    });
  }

  /** Changes an order's status (e.g. `Canceled`); its LastUpdateDate becomes now. */
  updateOrder(amazonOrderId: string, input: { orderStatus?: OrderStatus; fulfillmentStatus?: string; lastUpdateDate?: string }): OrderRecord {
    const o = this.state.orders.get(amazonOrderId);
    must(o, `order ${amazonOrderId} not found`);
    const change = { ...input, orderStatus: input.orderStatus ?? statusOf2026(input.fulfillmentStatus) };
    if (change.orderStatus) {
      must(ORDER_STATUSES.includes(change.orderStatus), `OrderStatus must be one of ${ORDER_STATUSES.join(', ')}`);
      const before = TAKES_UNITS.includes(o.orderStatus);
      const after = TAKES_UNITS.includes(change.orderStatus);
      o.orderStatus = change.orderStatus;
      if (before !== after) this.reserveUnits(o, after ? -1 : 1);
    }
    o.lastUpdateDate = change.lastUpdateDate ?? new Date().toISOString();
    return o;
  }

  /**
   * Amazon takes an MFN order's units off the listing's quantity when the order is placed (EU: off the
   * seller + SKU pool) and puts the unshipped ones back when it is cancelled. `sign` -1 takes, +1 returns.
   */
  private reserveUnits(o: OrderRecord, sign: -1 | 0 | 1): void {
    if (sign === 0 || o.fulfillmentChannel !== 'MFN') return;
    for (const i of o.items) {
      const a = this.state.getAvailability(o.sellerId, o.marketplaceId, i.sku);
      if (!a || typeof a.quantity !== 'number') continue;
      const units = sign < 0 ? i.quantityOrdered : i.quantityOrdered - i.quantityShipped;
      a.quantity = Math.max(0, a.quantity + sign * units);
    }
  }

  calls(filter: CallFilter = {}): CallLogEntry[] {
    const since = filter.since ? Date.parse(filter.since) : undefined;
    return this.state.calls.filter(
      (c) =>
        (!filter.operation || c.operation === filter.operation) &&
        (!filter.sellerId || c.sellerId === filter.sellerId) &&
        (!filter.sku || c.sku === filter.sku) &&
        (filter.status === undefined || c.status === filter.status) &&
        (filter.afterSeq === undefined || c.seq > filter.afterSeq) &&
        (since === undefined || c.timeMs >= since),
    );
  }

  clearCalls(): void {
    this.state.calls.length = 0;
  }

  quantities(filter: { sellerId?: string; sku?: string; marketplaceId?: string } = {}): Array<Record<string, unknown>> {
    return this.state.quantities(filter);
  }

  /** The next `count` matching calls fail with 429, 500 or hang-then-drop. */
  injectFault(fault: { kind: '429' | '500' | 'timeout' | 429 | 500; count?: number; operation?: string; sellerId?: string; hangMs?: number }): HttpFault {
    const kind = String(fault.kind) as HttpFault['kind'];
    must(['429', '500', 'timeout'].includes(kind), 'fault kind must be 429, 500 or timeout');
    const count = fault.count ?? 1;
    must(Number.isInteger(count) && count > 0, 'fault count must be a positive integer');
    const f: HttpFault = {
      id: randomUUID(),
      kind,
      remaining: count,
      ...(fault.operation ? { operation: fault.operation } : {}),
      ...(fault.sellerId ? { sellerId: fault.sellerId } : {}),
      ...(fault.hangMs !== undefined ? { hangMs: fault.hangMs } : {}),
    };
    this.state.faults.push(f);
    return f;
  }

  /** The next `count` feeds created end FATAL. */
  failNextFeeds(count = 1): void {
    this.state.fatalFeeds += count;
  }

  /** Updates of these SKUs come back INVALID (Listings API) or with an ERROR issue (feeds). */
  markSkusInvalid(skus: string[], sellerId?: string): void {
    for (const s of skus) this.state.invalidSkus.set(s, sellerId ?? '*');
  }

  clearFaults(): void {
    this.state.faults = [];
    this.state.fatalFeeds = 0;
    this.state.invalidSkus.clear();
  }

  /** Makes every issued access token expired (the next SP-API call answers 403). */
  expireAccessTokens(): number {
    for (const t of this.state.accessTokens.values()) t.expiresAt = 0;
    return this.state.accessTokens.size;
  }
}
