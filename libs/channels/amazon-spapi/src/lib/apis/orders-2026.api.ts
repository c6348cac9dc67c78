import type { definitions, operations } from '../generated/orders-2026-01-01';
import type { SpApiTransport } from '../transport/sp-api-transport';

/** Orders API 2026-01-01 shapes, generated from Amazon's model (`npm run gen:spapi-types`). */
export type Order2026 = definitions['Order'];
export type OrderItem2026 = definitions['OrderItem'];
export type FulfillmentStatus2026 = definitions['FulfillmentStatus'];
export type SearchOrdersResponse2026 = definitions['SearchOrdersResponse'];
export type GetOrderResponse2026 = definitions['GetOrderResponse'];
type SearchOrdersParams = NonNullable<operations['searchOrders']['parameters']['query']>;
export type OrdersIncludedData2026 = NonNullable<SearchOrdersParams['includedData']>[number];

/** searchOrders' filters; exactly one of `createdAfter` / `lastUpdatedAfter` starts a search. */
export interface SearchOrdersQuery {
  marketplaceIds?: string[];
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  fulfillmentStatuses?: FulfillmentStatus2026[];
  fulfilledBy?: Array<'MERCHANT' | 'AMAZON'>;
  maxResultsPerPage?: number;
  includedData?: OrdersIncludedData2026[];
  paginationToken?: string;
}

export interface SearchOrdersPage {
  orders: Order2026[];
  nextToken?: string;
  /** The end of the window Amazon searched (by update or by creation). */
  lastUpdatedBefore?: string;
  createdBefore?: string;
}

/** Amazon reads array query parameters comma-separated. */
function queryOf(params: Record<string, string | number | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Orders API 2026-01-01: orders with their items in one answer (no per-order item call). */
export class Orders2026Client {
  constructor(private readonly transport: SpApiTransport) {}

  /** One page of orders created or updated in a window. */
  async searchOrders(query: SearchOrdersQuery, signal?: AbortSignal): Promise<SearchOrdersPage> {
    const path = `/orders/2026-01-01/orders${queryOf({ ...query })}`;
    const res = await this.transport.call('searchOrders', this.transport.get<SearchOrdersResponse2026>(path), signal);
    const d = res.data;
    return { orders: d?.orders ?? [], nextToken: d?.pagination?.nextToken || undefined, lastUpdatedBefore: d?.lastUpdatedBefore, createdBefore: d?.createdBefore };
  }

  /** Every page of a search, one page at a time (each page is one searchOrders call, paced by the limiter). */
  async *searchOrderPages(query: Omit<SearchOrdersQuery, 'paginationToken'>, signal?: AbortSignal): AsyncGenerator<SearchOrdersPage> {
    let paginationToken: string | undefined;
    do {
      const page = await this.searchOrders({ ...query, paginationToken }, signal);
      yield page;
      paginationToken = page.nextToken;
    } while (paginationToken);
  }

  async getOrder(orderId: string, includedData?: OrdersIncludedData2026[], signal?: AbortSignal): Promise<Order2026> {
    const path = `/orders/2026-01-01/orders/${encodeURIComponent(orderId)}${queryOf({ includedData })}`;
    const res = await this.transport.call('getOrder', this.transport.get<GetOrderResponse2026>(path), signal);
    return res.data.order;
  }
}
