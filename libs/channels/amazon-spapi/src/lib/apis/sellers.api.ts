import type { SpApiTransport } from '../transport/sp-api-transport';

export interface MarketplaceParticipation {
  marketplace: { id: string; countryCode?: string; name?: string; defaultCurrencyCode?: string; defaultLanguageCode?: string; domainName?: string };
  storeName?: string;
  participation: { isParticipating: boolean; hasSuspendedListings: boolean };
}

/** Sellers API v1 (no typed SDK package: a plain call through the transport). */
export class SellersClient {
  constructor(private readonly transport: SpApiTransport) {}

  /** The marketplaces the seller participates in. */
  async getMarketplaceParticipations(signal?: AbortSignal): Promise<MarketplaceParticipation[]> {
    const res = await this.transport.call('getMarketplaceParticipations', this.transport.get<{ payload?: MarketplaceParticipation[] }>('/sellers/v1/marketplaceParticipations'), signal);
    return res.data.payload ?? [];
  }
}
