import express, { type Router } from 'express';
import { marketplace } from './marketplaces';
import { invalidInput, isIsoDate, notFound, operation, queryList, queryString, type SandboxContext } from './sandbox-context';
import type { OrderRecord, OrderStatus } from './sandbox-state';

/** The order's status in Orders API 2026-01-01 words (the sandbox keeps v0's internally). */
export const FULFILLMENT_STATUS: Readonly<Record<OrderStatus, string>> = {
  PendingAvailability: 'PENDING_AVAILABILITY',
  Pending: 'PENDING',
  Unshipped: 'UNSHIPPED',
  PartiallyShipped: 'PARTIALLY_SHIPPED',
  Shipped: 'SHIPPED',
  InvoiceUnconfirmed: 'SHIPPED',
  Canceled: 'CANCELLED',
  Unfulfillable: 'UNFULFILLABLE',
};
const FULFILLMENT_STATUSES = ['PENDING_AVAILABILITY', 'PENDING', 'UNSHIPPED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'CANCELLED', 'UNFULFILLABLE'];
const INCLUDED_DATA = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'EXPENSE', 'PROMOTION', 'CANCELLATION', 'FULFILLMENT', 'PACKAGES', 'TAX', 'PAYMENT', 'FULFILLMENT_ORDERS'];

/** An order as searchOrders / getOrder answer it; `included` adds the optional sections the model names. */
export function order2026View(o: OrderRecord, included: string[]): Record<string, unknown> {
  const m = marketplace(o.marketplaceId);
  const money = (amount: number) => ({ amount: amount.toFixed(2), currencyCode: o.currencyCode });
  const cancelled = o.orderStatus === 'Canceled';
  const total = o.items.reduce((s, i) => s + Number(i.itemPrice ?? '0') * i.quantityOrdered, 0);
  const view: Record<string, unknown> = {
    orderId: o.amazonOrderId,
    createdTime: o.purchaseDate,
    lastUpdatedTime: o.lastUpdateDate,
    salesChannel: { channelName: 'AMAZON', marketplaceId: o.marketplaceId, marketplaceName: m?.name ?? 'Amazon' },
    orderItems: o.items.map((i) => {
      const item: Record<string, unknown> = {
        orderItemId: i.orderItemId,
        quantityOrdered: i.quantityOrdered,
        product: {
          asin: i.asin,
          title: i.title,
          sellerSku: i.sku,
          condition: { conditionType: 'NEW', conditionSubtype: 'NEW' },
          price: { unitPrice: money(Number(i.itemPrice ?? '0')) },
        },
      };
      if (included.includes('PROCEEDS')) item['proceeds'] = { proceedsTotal: money(Number(i.itemPrice ?? '0') * i.quantityOrdered) };
      if (included.includes('FULFILLMENT')) {
        item['fulfillment'] = { quantityFulfilled: i.quantityShipped, quantityUnfulfilled: cancelled ? 0 : i.quantityOrdered - i.quantityShipped };
      }
      return item;
    }),
  };
  if (included.includes('PROCEEDS')) view['proceeds'] = { grandTotal: money(total) };
  if (included.includes('FULFILLMENT')) {
    view['fulfillment'] = {
      fulfillmentStatus: FULFILLMENT_STATUS[o.orderStatus],
      fulfilledBy: o.fulfillmentChannel === 'AFN' ? 'AMAZON' : 'MERCHANT',
      fulfillmentServiceLevel: 'STANDARD',
      shipByWindow: { earliestDateTime: o.purchaseDate, latestDateTime: new Date(Date.parse(o.purchaseDate) + 2 * 86_400_000).toISOString() },
    };
  }
  return view;
}

interface Cursor {
  sellerId: string;
  scope: string;
  offset: number;
  expiresAt: number;
}

const TOKEN_TTL_MS = 24 * 3600_000;

/** Orders API 2026-01-01: searchOrders (created or updated window, filters, pagination) and getOrder. */
export function orders2026Routes(ctx: SandboxContext): Router {
  const router = express.Router();
  const { state } = ctx;
  const cursors = new Map<string, Cursor>();

  router.get(
    '/orders/2026-01-01/orders',
    operation(
      ctx,
      'searchOrders',
      (req, res, { seller }) => {
        const included = queryList(req, 'includedData') ?? [];
        const bad = included.find((x) => !INCLUDED_DATA.includes(x));
        if (bad) return invalidInput(res, 'Invalid Input', `Invalid includedData: ${bad}`);
        const max = Number(queryString(req, 'maxResultsPerPage') ?? ctx.config.ordersPageSize);
        if (!Number.isInteger(max) || max < 1 || max > 100) return invalidInput(res, 'Invalid Input', 'maxResultsPerPage must be 1 to 100.');
        const paginationToken = queryString(req, 'paginationToken');
        let offset = 0;
        let scope: string;
        if (paginationToken) {
          const c = cursors.get(paginationToken);
          if (!c || c.sellerId !== seller.sellerId || c.expiresAt < Date.now()) return invalidInput(res, 'Invalid Input', 'Invalid paginationToken.');
          offset = c.offset;
          scope = c.scope;
        } else {
          const createdAfter = queryString(req, 'createdAfter');
          const lastUpdatedAfter = queryString(req, 'lastUpdatedAfter');
          if ((createdAfter ? 1 : 0) + (lastUpdatedAfter ? 1 : 0) !== 1) return invalidInput(res, 'Invalid Input', 'Exactly one of createdAfter and lastUpdatedAfter is required.');
          const createdBefore = queryString(req, 'createdBefore');
          const lastUpdatedBefore = queryString(req, 'lastUpdatedBefore');
          for (const d of [createdAfter, lastUpdatedAfter, createdBefore, lastUpdatedBefore]) {
            if (d !== undefined && !isIsoDate(d)) return invalidInput(res, 'Invalid Input', `${d} is not a valid ISO 8601 date.`);
          }
          if (createdBefore && !createdAfter) return invalidInput(res, 'Invalid Input', 'createdBefore needs createdAfter.');
          if (lastUpdatedBefore && !lastUpdatedAfter) return invalidInput(res, 'Invalid Input', 'lastUpdatedBefore needs lastUpdatedAfter.');
          for (const [name, d] of [['createdBefore', createdBefore], ['lastUpdatedBefore', lastUpdatedBefore]] as const) {
            if (d && Date.parse(d) > Date.now() - 120_000) return invalidInput(res, 'Invalid Input', `${name} must be at least two minutes before the time of the request.`);
          }
          const mps = queryList(req, 'marketplaceIds');
          for (const id of mps ?? []) {
            const m = marketplace(id);
            if (!m || !seller.regions.includes(m.region)) return invalidInput(res, 'Invalid Input', `Invalid marketplaceIds: ${id}`);
          }
          const statuses = queryList(req, 'fulfillmentStatuses');
          const badStatus = statuses?.find((s) => !FULFILLMENT_STATUSES.includes(s));
          if (badStatus) return invalidInput(res, 'Invalid Input', `Invalid fulfillmentStatuses: ${badStatus}`);
          const by = queryList(req, 'fulfilledBy');
          if (by?.some((b) => b !== 'MERCHANT' && b !== 'AMAZON')) return invalidInput(res, 'Invalid Input', 'fulfilledBy must be MERCHANT or AMAZON.');
          // A window's upper end defaults to now (Amazon answers what existed when the search started).
          const upper = new Date().toISOString();
          scope = JSON.stringify({ mps, createdAfter, lastUpdatedAfter, createdBefore: createdBefore ?? (createdAfter ? upper : undefined), lastUpdatedBefore: lastUpdatedBefore ?? (lastUpdatedAfter ? upper : undefined), statuses, by });
        }
        const s = JSON.parse(scope) as { mps?: string[]; createdAfter?: string; lastUpdatedAfter?: string; createdBefore?: string; lastUpdatedBefore?: string; statuses?: string[]; by?: string[] };
        const byUpdate = !!s.lastUpdatedAfter;
        const key = (o: OrderRecord) => (byUpdate ? o.lastUpdateDate : o.purchaseDate);
        const [after, before] = byUpdate ? [s.lastUpdatedAfter, s.lastUpdatedBefore] : [s.createdAfter, s.createdBefore];
        const rows = [...state.orders.values()]
          .filter((o) => o.sellerId === seller.sellerId && (!s.mps?.length || s.mps.includes(o.marketplaceId)))
          .filter((o) => !s.statuses || s.statuses.includes(FULFILLMENT_STATUS[o.orderStatus]))
          .filter((o) => !s.by || s.by.includes(o.fulfillmentChannel === 'AFN' ? 'AMAZON' : 'MERCHANT'))
          .filter((o) => Date.parse(key(o)) >= Date.parse(after ?? '') && (!before || Date.parse(key(o)) <= Date.parse(before)))
          .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.amazonOrderId < b.amazonOrderId ? -1 : 1));
        const page = rows.slice(offset, offset + max);
        const body: Record<string, unknown> = { orders: page.map((o) => order2026View(o, included)) };
        // The end of the window the search covered, as Amazon answers it.
        if (before) body[byUpdate ? 'lastUpdatedBefore' : 'createdBefore'] = before;
        if (offset + max < rows.length) {
          const token = state.newToken('');
          cursors.set(token, { sellerId: seller.sellerId, scope, offset: offset + max, expiresAt: Date.now() + TOKEN_TTL_MS });
          body['pagination'] = { nextToken: token };
        }
        res.status(200).json(body);
      },
      { describe: (req) => ({ marketplaceIds: queryList(req, 'marketplaceIds') }) },
    ),
  );

  router.get(
    '/orders/2026-01-01/orders/:orderId',
    operation(ctx, 'getOrder', (req, res, { seller }) => {
      const included = queryList(req, 'includedData') ?? [];
      const bad = included.find((x) => !INCLUDED_DATA.includes(x));
      if (bad) return invalidInput(res, 'Invalid Input', `Invalid includedData: ${bad}`);
      const order = state.orders.get(req.params['orderId'] as string);
      if (!order || order.sellerId !== seller.sellerId) return notFound(res, `Order ${req.params['orderId']} not found`);
      res.status(200).json({ order: order2026View(order, included) });
    }),
  );
  return router;
}
