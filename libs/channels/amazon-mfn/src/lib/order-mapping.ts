import type { ChannelOrder } from '@invsync/plugin-api';
import type { Order2026, OrderItem2026 } from '@invsync/amazon-spapi';

/** Orders API 2026-01-01 `fulfillmentStatus` -> the host's status; undefined: nothing to record. */
export function orderStatusOf(status: string | undefined): ChannelOrder['status'] | undefined {
  switch (status) {
    case 'PENDING_AVAILABILITY':
    case 'PENDING':
    case 'UNSHIPPED':
    case 'PARTIALLY_SHIPPED':
      return 'open';
    case 'SHIPPED':
      return 'shipped';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return undefined; // UNFULFILLABLE (multi-channel fulfilment) and anything new
  }
}

/** True for orders Amazon fulfils (FBA): their units are Amazon's, nothing to allocate here. */
export function fulfilledByAmazon(order: Order2026): boolean {
  return order.fulfillment?.fulfilledBy === 'AMAZON';
}

/**
 * Order lines from the order's items, by Amazon's seller SKU as given (the host resolves it through the
 * channel's listings). A cancelled order may report 0 ordered: it is then recorded only to find (and
 * de-allocate) the order recorded earlier, with 1 per SKU (a new cancelled order allocates nothing).
 */
export function orderLinesOf(items: OrderItem2026[], status: ChannelOrder['status']): ChannelOrder['lines'] {
  const lines: ChannelOrder['lines'] = [];
  for (const i of items) {
    const sku = i.product?.sellerSku;
    if (!sku) continue;
    const q = i.quantityOrdered ?? 0;
    if (q > 0) lines.push({ sku, quantity: q });
    else if (status === 'cancelled') lines.push({ sku, quantity: 1 });
  }
  return lines;
}
