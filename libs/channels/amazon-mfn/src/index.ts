import { createAmazonMfnPlugin } from './lib/plugin';

/** The Amazon MFN channel plugin with its default options (what the host registers). */
export const amazonMfnPlugin = createAmazonMfnPlugin();

export { createAmazonMfnPlugin, amazonMfnModule } from './lib/plugin';
export { AMAZON_MFN_MANIFEST } from './lib/manifest';
export type { AmazonMfnPluginOptions } from './lib/client-factory';
export { CHANNEL_TYPE as AMAZON_MFN_CHANNEL_TYPE, SETTINGS_SCHEMA as AMAZON_MFN_SETTINGS_SCHEMA, identify, validateSettings, type AmazonMfnSettings } from './lib/settings';
export { AmazonMfnConnector, MERCHANT_LISTINGS_REPORT } from './lib/mfn-connector';
export { DOWNLOAD_ORDERS_JOB, downloadOrders, orderStatusOf, orderLinesOf, checkpointKey, parkedKey, type ChannelDownloadSummary } from './lib/order-download.job';
export { feedReceipt, patchReceipt, parseReceipt, type Receipt } from './lib/receipts';
