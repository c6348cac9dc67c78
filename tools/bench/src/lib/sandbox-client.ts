import type { CallFilter, CallLogEntry, ListingSeed, SellerSeed } from '@invsync/amazon-sandbox';

/** A row of `GET /_sandbox/quantities`: one per quantity pool (EU: per seller and SKU, else per marketplace too). */
export interface SandboxQuantity {
  sellerId: string;
  sku: string;
  region?: string;
  marketplaceId: string | null;
  marketplaceIds: string[];
  fulfillmentChannel: string | null;
  quantity: number | null;
  leadTimeToShipMaxDays: number | null;
  restockDate: string | null;
}

export interface QuantityFilter {
  sellerId?: string;
  /** The pool this marketplace uses (any EU marketplace matches the seller's EU pool). */
  marketplaceId?: string;
  sku?: string;
}

// `GET /_sandbox/calls` answers only the last 10,000 matching calls unless given a limit; the log
// itself keeps at most 200,000.
const EVERY_CALL = 1_000_000;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

/** The sandbox's admin API (`/_sandbox/...`) over HTTP: the bench's only way to seed and inspect "Amazon". */
export class SandboxClient {
  constructor(readonly url: string) {}

  async seedSellers(sellers: SellerSeed[]): Promise<void> {
    await this.request('POST', '/_sandbox/sellers', sellers);
  }

  async seedListings(listings: ListingSeed[]): Promise<number> {
    return (await this.request<{ seeded: number }>('POST', '/_sandbox/listings', listings)).seeded;
  }

  /**
   * A buyer's MFN order on Amazon: placed only if the listing shows `quantity` (checked and taken off
   * in one step by the sandbox). Answers when it was placed (epoch ms, the sandbox's clock), or null.
   */
  async placeOrder(o: { sellerId: string; marketplaceId: string; sku: string; quantity: number }): Promise<number | null> {
    const { orders } = await this.request<{ orders: { purchaseDate: string }[] }>('POST', '/_sandbox/orders', {
      sellerId: o.sellerId,
      marketplaceId: o.marketplaceId,
      fulfillmentChannel: 'MFN',
      onlyIfAvailable: true,
      items: [{ sku: o.sku, quantity: o.quantity }],
    });
    return orders.length ? Date.parse(orders[0].purchaseDate) : null;
  }

  /** Every logged call matching the filter, oldest first. */
  async calls(filter: CallFilter = {}): Promise<CallLogEntry[]> {
    const { total, calls } = await this.request<{ total: number; calls: CallLogEntry[] }>('GET', `/_sandbox/calls?${query({ ...filter, limit: EVERY_CALL })}`);
    if (calls.length !== total) throw new Error(`sandbox call log: got ${calls.length} of ${total} calls`);
    return calls;
  }

  /** The seq of the latest logged call (0 before any): calls made afterwards have a greater one. */
  async lastSeq(): Promise<number> {
    const { calls } = await this.request<{ calls: CallLogEntry[] }>('GET', '/_sandbox/calls?limit=1');
    return calls.at(-1)?.seq ?? 0;
  }

  async quantities(filter: QuantityFilter): Promise<SandboxQuantity[]> {
    return (await this.request<{ quantities: SandboxQuantity[] }>('GET', `/_sandbox/quantities?${query({ ...filter })}`)).quantities;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.url + path, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`sandbox ${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}
