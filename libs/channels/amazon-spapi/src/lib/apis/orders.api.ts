import { OrdersApi, type Order, type OrderItem } from '@sp-api-sdk/orders-api-v0';
import type { SpApiTransport } from '../transport/sp-api-transport';

export type { Order, OrderItem } from '@sp-api-sdk/orders-api-v0';

export interface OrdersQuery {
  marketplaceIds: string[];
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  orderStatuses?: string[];
  fulfillmentChannels?: Array<'MFN' | 'AFN'>;
  maxResultsPerPage?: number;
  nextToken?: string;
}

export interface OrdersPage {
  orders: Order[];
  nextToken?: string;
  lastUpdatedBefore?: string;
  createdBefore?: string;
}

export interface OrderItemsPage {
  amazonOrderId: string;
  items: OrderItem[];
  nextToken?: string;
}

/** Orders API v0: orders by creation or update time, and their items. */
export class OrdersClient {
  private readonly api: OrdersApi;

  constructor(private readonly transport: SpApiTransport) {
    this.api = transport.sdk(OrdersApi);
  }

  async getOrders(query: OrdersQuery, signal?: AbortSignal): Promise<OrdersPage> {
    const res = await this.transport.call(
      'getOrders',
      (o) =>
        this.api.getOrders(
          {
            marketplaceIds: query.marketplaceIds,
            createdAfter: query.createdAfter,
            createdBefore: query.createdBefore,
            lastUpdatedAfter: query.lastUpdatedAfter,
            lastUpdatedBefore: query.lastUpdatedBefore,
            orderStatuses: query.orderStatuses,
            fulfillmentChannels: query.fulfillmentChannels,
            maxResultsPerPage: query.maxResultsPerPage,
            nextToken: query.nextToken,
          },
          o,
        ),
      signal,
    );
    const p = res.data.payload;
    return {
      orders: p?.Orders ?? [],
      nextToken: p?.NextToken || undefined,
      lastUpdatedBefore: p?.LastUpdatedBefore,
      createdBefore: p?.CreatedBefore,
    };
  }

  async *orderPages(query: Omit<OrdersQuery, 'nextToken'>, signal?: AbortSignal): AsyncGenerator<OrdersPage> {
    let nextToken: string | undefined;
    do {
      const page = await this.getOrders({ ...query, nextToken }, signal);
      yield page;
      nextToken = page.nextToken;
    } while (nextToken);
  }

  async getOrderItemsPage(orderId: string, nextToken?: string, signal?: AbortSignal): Promise<OrderItemsPage> {
    const res = await this.transport.call('getOrderItems', (o) => this.api.getOrderItems({ orderId, nextToken }, o), signal);
    const p = res.data.payload;
    return { amazonOrderId: p?.AmazonOrderId ?? orderId, items: p?.OrderItems ?? [], nextToken: p?.NextToken || undefined };
  }

  /** Every item of an order (all pages). */
  async getOrderItems(orderId: string, signal?: AbortSignal): Promise<OrderItem[]> {
    const items: OrderItem[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.getOrderItemsPage(orderId, nextToken, signal);
      items.push(...page.items);
      nextToken = page.nextToken;
    } while (nextToken);
    return items;
  }
}
