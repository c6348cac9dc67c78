export { startAmazonSandbox, createSandboxApp, type AmazonSandbox, type AmazonSandboxOptions } from './lib/amazon-sandbox';
export { SandboxAdmin, SeedError, type SellerSeed, type ListingSeed, type FbaSeed, type OrderSeed, type CallFilter } from './lib/sandbox-admin';
export { SandboxState, poolKey, isEuMarketplace, type CallLogEntry, type HttpFault, type SellerRecord, type ListingRecord, type OrderRecord, type FbaRecord, type OrderStatus } from './lib/sandbox-state';
export { DEFAULT_CONFIG, type SandboxConfig } from './lib/sandbox-context';
export { AMAZON_USAGE_PLANS, type RateLimitSetting, type SandboxRateLimit } from './lib/rate-limits';
export { SANDBOX_MARKETPLACES, type SandboxRegion, type SandboxMarketplace } from './lib/marketplaces';
export { DEMO_SELLER_ID, DEMO_CREDENTIALS, DEMO_AMAZON_ONLY_SKU, seedDemo } from './lib/demo-seed';
export { processListingsFeed, type ProcessingReport } from './lib/feed-processor';
