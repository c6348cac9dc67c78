import type { RateLimit } from './rate-limiter';

/** The SP-API operations this client calls. */
export type SpApiOperation =
  | 'getListingsItem'
  | 'patchListingsItem'
  | 'createFeedDocument'
  | 'createFeed'
  | 'getFeed'
  | 'getFeedDocument'
  | 'getInventorySummaries'
  | 'searchOrders'
  | 'getOrder'
  | 'createReport'
  | 'getReport'
  | 'getReportDocument'
  | 'getMarketplaceParticipations';

/**
 * Amazon's default usage plans (rate per second, burst), as published in the models'
 * "Usage Plan" tables (`amazon-models/models` in this lib). Amazon may grant more; the client retunes
 * the rate from `x-amzn-RateLimit-Limit`.
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<SpApiOperation, RateLimit>> = {
  getListingsItem: { rate: 5, burst: 10 },
  patchListingsItem: { rate: 5, burst: 5 },
  createFeedDocument: { rate: 0.5, burst: 15 },
  createFeed: { rate: 0.0083, burst: 15 },
  getFeed: { rate: 2, burst: 15 },
  getFeedDocument: { rate: 0.0222, burst: 10 },
  getInventorySummaries: { rate: 2, burst: 2 },
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  getMarketplaceParticipations: { rate: 0.016, burst: 15 },
};
