import { AMAZON_ACCOUNT_SETTINGS_PROPERTIES, AMAZON_ACCOUNT_SETTINGS_REQUIRED, AMAZON_VOCABULARY } from '@invsync/amazon-spapi';
import type { PluginManifest } from '@invsync/plugin-api';

export const AMAZON_FBA_PLUGIN_ID = 'amazon-fba';
export const AMAZON_FBA_CHANNEL_TYPE = 'amazon-fba';
export const PULL_INVENTORY_JOB = 'pull-inventory';
/** Quantities older than this (minutes) are flagged stale when the channel sets no `staleAfterMinutes`. */
export const DEFAULT_STALE_AFTER_MINUTES = 90;

/**
 * Plain data (its only import is the Amazon account settings' schema, shared with amazon-mfn),
 * checked by the host before any code of this plugin runs. Amazon controls FBA
 * quantities: fulfilment `channel` and `pushQuantities: false` (the host never dispatches for it).
 */
export const amazonFbaManifest: PluginManifest = {
  id: AMAZON_FBA_PLUGIN_ID,
  displayName: 'Amazon FBA',
  version: '1.0.0',
  description: "Reads Fulfilled-by-Amazon quantities (FBA Inventory API) for Live Listings and the FBA reconciliation tool. Never sends a quantity.",
  // 1.2: the managed warehouse's staleness and the API's vocabulary are declared in the contribution.
  engines: { 'inventory-sync': '^1.2.0' },
  activationEvents: [`onChannelType:${AMAZON_FBA_CHANNEL_TYPE}`, `onJob:${PULL_INVENTORY_JOB}`],
  contributes: {
    channelTypes: [
      {
        id: AMAZON_FBA_CHANNEL_TYPE,
        displayName: 'Amazon (Fulfilled by Amazon)',
        fulfilment: 'channel',
        capabilities: { pushQuantities: false, pullQuantities: true, listRemoteListings: true, healthCheck: true },
        managedWarehouse: { staleAfterMinutes: { default: DEFAULT_STALE_AFTER_MINUTES, settingKey: 'staleAfterMinutes' } },
        // /channels/:id/fba-discrepancies with `amazonQuantity`, settings.fbaWarehouseId, listings AFN.
        vocabulary: { ...AMAZON_VOCABULARY, managedWarehouseTool: 'fba', channelQuantityField: 'amazonQuantity' },
        settingsSchema: {
          type: 'object',
          properties: {
            ...AMAZON_ACCOUNT_SETTINGS_PROPERTIES,
            staleAfterMinutes: {
              type: 'integer',
              minimum: 1,
              maximum: 10_080,
              default: DEFAULT_STALE_AFTER_MINUTES,
              description: 'FBA quantities read longer ago than this are flagged stale (Live Listings, FBA discrepancies)',
            },
          },
          required: AMAZON_ACCOUNT_SETTINGS_REQUIRED,
        },
      },
    ],
    jobs: [
      {
        id: PULL_INVENTORY_JOB,
        defaultCron: '*/30 * * * *',
        description: "Reads every amazon-fba channel's FBA quantities (fulfillable, reserved, inbound, unfulfillable) from Amazon",
      },
    ],
  },
};
