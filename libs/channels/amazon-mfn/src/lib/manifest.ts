import { AMAZON_VOCABULARY } from '@invsync/amazon-spapi';
import type { PluginManifest } from '@invsync/plugin-api';
import { CHANNEL_TYPE, SETTINGS_SCHEMA } from './settings';
import { DOWNLOAD_ORDERS_JOB } from './order-download.job';

/** Plain data, checked by the host before any of the plugin's code runs. */
export const AMAZON_MFN_MANIFEST: PluginManifest = {
  id: 'amazon-mfn',
  displayName: 'Amazon (merchant fulfilled)',
  version: '1.0.0',
  description:
    "Keeps merchant-fulfilled Amazon listings' quantities equal to on hand (patches for small batches, JSON_LISTINGS_FEED for large ones), downloads MFN orders, imports listings.",
  // 1.1: feed results carry holdUntilConfirmed; 1.2: the API's vocabulary (MFN/AFN, fbaWarehouseId).
  engines: { 'inventory-sync': '^1.3.0' },
  activationEvents: [`onChannelType:${CHANNEL_TYPE}`, `onJob:${DOWNLOAD_ORDERS_JOB}`],
  contributes: {
    channelTypes: [
      {
        id: CHANNEL_TYPE,
        displayName: 'Amazon MFN (merchant fulfilled)',
        fulfilment: 'merchant',
        settingsSchema: SETTINGS_SCHEMA,
        vocabulary: AMAZON_VOCABULARY,
        capabilities: {
          pushQuantities: true,
          confirmDeliveries: true,
          pullQuantities: true,
          listRemoteListings: true,
          fetchOrders: true,
          healthCheck: true,
        },
        // One pass's worth; the plugin splits feeds at Amazon's 25,000 messages itself.
        maxBatchSize: 25_000,
      },
    ],
    jobs: [
      {
        id: DOWNLOAD_ORDERS_JOB,
        // searchOrders sustains one call in three minutes (burst 20): one page a run keeps within it.
        defaultCron: '*/3 * * * *',
        description: 'Download new and updated merchant-fulfilled Amazon orders of every amazon-mfn channel (allocates from its allocation warehouse)',
      },
    ],
  },
};
