import { FbaInventoryApi, type InventorySummary, type Granularity } from '@sp-api-sdk/fba-inventory-api-v1';
import { InvalidInputError, NextTokenExpiredError } from '../errors';
import type { SpApiTransport } from '../transport/sp-api-transport';

export type { InventorySummary } from '@sp-api-sdk/fba-inventory-api-v1';

export interface InventorySummariesQuery {
  marketplaceId: string;
  /** Up to 50 SKUs. */
  sellerSkus?: string[];
  startDateTime?: string;
  /** Default true. */
  details?: boolean;
  nextToken?: string;
}

export interface InventorySummariesPage {
  granularity?: Granularity;
  summaries: InventorySummary[];
  nextToken?: string;
}

/** FBA Inventory API v1: the seller's inventory summaries in one marketplace. */
export class FbaInventoryClient {
  private readonly api: FbaInventoryApi;

  constructor(private readonly transport: SpApiTransport) {
    this.api = transport.sdk(FbaInventoryApi);
  }

  /** One page of inventory summaries. An expired `nextToken` throws `NextTokenExpiredError`: start again. */
  async getInventorySummaries(query: InventorySummariesQuery, signal?: AbortSignal): Promise<InventorySummariesPage> {
    try {
      const res = await this.transport.call(
        'getInventorySummaries',
        (o) =>
          this.api.getInventorySummaries(
            {
              granularityType: 'Marketplace',
              granularityId: query.marketplaceId,
              marketplaceIds: [query.marketplaceId],
              details: query.details ?? true,
              sellerSkus: query.sellerSkus,
              startDateTime: query.startDateTime,
              nextToken: query.nextToken,
            },
            o,
          ),
        signal,
      );
      return {
        granularity: res.data.payload?.granularity,
        summaries: res.data.payload?.inventorySummaries ?? [],
        nextToken: res.data.pagination?.nextToken || undefined,
      };
    } catch (err) {
      if (query.nextToken && err instanceof InvalidInputError && !(err instanceof NextTokenExpiredError) && /token/i.test(err.message)) {
        throw new NextTokenExpiredError(err.message, { operation: err.operation, status: err.status, amazonErrors: err.amazonErrors, requestId: err.requestId });
      }
      throw err;
    }
  }

  /** All pages of inventory summaries, one page at a time. Restart on `NextTokenExpiredError`. */
  async *inventorySummaryPages(query: Omit<InventorySummariesQuery, 'nextToken'>, signal?: AbortSignal): AsyncGenerator<InventorySummariesPage> {
    let nextToken: string | undefined;
    do {
      const page = await this.getInventorySummaries({ ...query, nextToken }, signal);
      yield page;
      nextToken = page.nextToken;
    } while (nextToken);
  }
}
