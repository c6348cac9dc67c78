import type { ChannelTypeVocabulary } from '@invsync/plugin-api';

/**
 * Amazon's words in the admin API, shared by the Amazon channel types: its fulfilment channel codes
 * (`MFN` merchant fulfilled, `AFN` Amazon fulfilled) and `fbaWarehouseId` for the warehouse that
 * mirrors FBA stock, so one Amazon settings object fits both channel types.
 */
export const AMAZON_VOCABULARY = {
  fulfilment: { merchant: 'MFN', channel: 'AFN' },
  managedWarehouseSetting: 'fbaWarehouseId',
} as const satisfies ChannelTypeVocabulary;
