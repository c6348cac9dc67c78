/**
 * The words the admin API uses for a channel type where its marketplace has words of its own. The
 * host's words are neutral ("merchant", "channel", "managed warehouse"); a plugin that names its
 * marketplace's words here gives its users the API they know without the host knowing the
 * marketplace. Every member is optional; the host's default is used for what is left out. Since 1.2.
 */
export interface ChannelTypeVocabulary {
  /**
   * The `fulfillment` value shown for this type's channels and listings, per fulfilment kind
   * (e.g. `{ merchant: 'MFN', channel: 'AFN' }`). Default: `merchant` and `channel`.
   */
  fulfilment?: { merchant: string; channel: string };
  /**
   * The settings key under which a channel names its managed warehouse: the warehouse mirroring the
   * stock the channel holds in its own network. Default `managedWarehouseId`.
   */
  managedWarehouseSetting?: string;
  /**
   * Route prefix of the managed-warehouse reconciliation tool:
   * `/api/v1/channels/:id/<tool>-discrepancies` and `<tool>-reconciliations`. Default `managed-warehouse`
   * (those routes answer for every channel-fulfilled type).
   */
  managedWarehouseTool?: string;
  /** The name of the channel's quantity in that tool's answers. Default `channelQuantity`. */
  channelQuantityField?: string;
}
