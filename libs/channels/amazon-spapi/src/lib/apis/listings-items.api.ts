import { ListingsItemsApi, type Item, type Issue } from '@sp-api-sdk/listings-items-api-2021-08-01';
import { quantityPatch, type PatchOp } from '../listings-feed';
import type { CallPriority } from '../rate-limiter';
import type { SpApiTransport } from '../transport/sp-api-transport';

export type { Item as ListingsItem, Issue as ListingsIssue } from '@sp-api-sdk/listings-items-api-2021-08-01';

export type ListingsIncludedData = Array<'summaries' | 'attributes' | 'issues' | 'offers' | 'fulfillmentAvailability' | 'procurement' | 'relationships' | 'productTypes'>;

export interface PatchResult {
  sku: string;
  /** ACCEPTED = queued (not yet applied); VALID/INVALID in VALIDATION_PREVIEW mode; INVALID = refused. */
  status: 'ACCEPTED' | 'INVALID' | 'VALID';
  submissionId: string;
  issues: Issue[];
  identifiers?: Array<{ marketplaceId?: string; asin?: string }>;
}

/** Listings Items API 2021-08-01: one seller's listing, read and quantity patch. */
export class ListingsItemsClient {
  private readonly api: ListingsItemsApi;

  constructor(private readonly transport: SpApiTransport) {
    this.api = transport.sdk(ListingsItemsApi);
  }

  async getListingsItem(
    sku: string,
    marketplaceIds: string[],
    includedData: ListingsIncludedData = ['summaries', 'attributes', 'fulfillmentAvailability', 'issues'],
    signal?: AbortSignal,
    /** `background` for reads nothing waits on (confirmations): they yield to sends' reads. */
    priority: CallPriority = 'normal',
  ): Promise<Item> {
    const sellerId = this.transport.sellerId;
    const res = await this.transport.call('getListingsItem', (o) => this.api.getListingsItem({ sellerId, sku, marketplaceIds, includedData }, o), signal, priority);
    return res.data;
  }

  /** Takes a patchListingsItem token now, for a `patchListingsItemQuantity` with `reserved` right after a read. */
  reservePatch(signal?: AbortSignal, priority: CallPriority = 'normal'): Promise<void> {
    return this.transport.reserve('patchListingsItem', signal, priority);
  }

  /** Sets the merchant-fulfilled quantity of one SKU (merge keeps handling time and restock date). */
  async patchListingsItemQuantity(
    sku: string,
    marketplaceIds: string[],
    quantity: number,
    options: {
      productType?: string;
      op?: PatchOp;
      /** `VALIDATION_PREVIEW` checks the patch without applying it (answer VALID / INVALID). */
      mode?: 'VALIDATION_PREVIEW';
      includedData?: Array<'identifiers' | 'issues'>;
      signal?: AbortSignal;
      /** `urgent` for a patch lowering a quantity: it goes before the seller's other waiting patches. */
      priority?: CallPriority;
      /** The first attempt uses a token taken with `reservePatch`. */
      reserved?: boolean;
    } = {},
  ): Promise<PatchResult> {
    const patch = quantityPatch(quantity, options.op ?? 'merge');
    const res = await this.transport.call(
      'patchListingsItem',
      (o) =>
        this.api.patchListingsItem(
          {
            sellerId: this.transport.sellerId,
            sku,
            marketplaceIds,
            body: { productType: options.productType ?? 'PRODUCT', patches: [patch] },
            mode: options.mode,
            includedData: options.includedData,
          },
          o,
        ),
      options.signal,
      options.priority,
      options.reserved,
    );
    return toPatchResult(res.data, sku);
  }
}

function toPatchResult(
  data: { sku?: string; status?: string; submissionId?: string; issues?: Issue[]; identifiers?: Array<{ marketplaceId?: string; asin?: string }> },
  sku: string,
): PatchResult {
  return {
    sku: data.sku ?? sku,
    status: (data.status as PatchResult['status']) ?? 'INVALID',
    submissionId: data.submissionId ?? '',
    issues: data.issues ?? [],
    ...(data.identifiers ? { identifiers: data.identifiers } : {}),
  };
}
