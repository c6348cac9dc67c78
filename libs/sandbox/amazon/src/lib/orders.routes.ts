import express, { type Router } from 'express';
import { marketplace } from './marketplaces';
import { invalidInput, isIsoDate, notFound, operation, queryList, queryString, sendErrors, type SandboxContext } from './sandbox-context';
import type { OrderRecord } from './sandbox-state';

export function orderView(o: OrderRecord): Record<string, unknown> {
  const m = marketplace(o.marketplaceId);
  const ordered = o.items.reduce((s, i) => s + i.quantityOrdered, 0);
  const shipped = o.items.reduce((s, i) => s + i.quantityShipped, 0);
  const total = o.items.reduce((s, i) => s + Number(i.itemPrice ?? '0') * i.quantityOrdered, 0);
  return {
    AmazonOrderId: o.amazonOrderId,
    PurchaseDate: o.purchaseDate,
    LastUpdateDate: o.lastUpdateDate,
    OrderStatus: o.orderStatus,
    FulfillmentChannel: o.fulfillmentChannel,
    SalesChannel: m?.name ?? 'Amazon',
    ShipServiceLevel: 'Std Dom',
    OrderTotal: { CurrencyCode: o.currencyCode, Amount: total.toFixed(2) },
    NumberOfItemsShipped: shipped,
    NumberOfItemsUnshipped: o.orderStatus === 'Canceled' ? 0 : ordered - shipped,
    PaymentMethod: 'Other',
    PaymentMethodDetails: ['Standard'],
    MarketplaceId: o.marketplaceId,
    ShipmentServiceLevelCategory: 'Standard',
    OrderType: 'StandardOrder',
    EarliestShipDate: o.purchaseDate,
    LatestShipDate: new Date(Date.parse(o.purchaseDate) + 2 * 86_400_000).toISOString(),
    IsBusinessOrder: false,
    IsPrime: false,
    IsPremiumOrder: false,
    IsGlobalExpressEnabled: false,
    IsReplacementOrder: false,
    IsSoldByAB: false,
    IsISPU: false,
    IsAccessPointOrder: false,
    HasRegulatedItems: false,
  };
}

interface Cursor {
  sellerId: string;
  scope: string;
  offset: number;
}

/** Orders API v0: getOrders (CreatedAfter / LastUpdatedAfter, NextToken) and getOrderItems. */
export function ordersRoutes(ctx: SandboxContext): Router {
  const router = express.Router();
  const { state } = ctx;
  const cursors = new Map<string, Cursor>();

  router.get(
    '/orders/v0/orders',
    operation(
      ctx,
      'getOrders',
      (req, res, { seller }) => {
        const mps = queryList(req, 'MarketplaceIds');
        if (!mps || mps.length === 0 || mps.length > 50) return invalidInput(res, 'Invalid Input', 'MarketplaceIds is required (at most 50).');
        for (const id of mps) {
          const m = marketplace(id);
          if (!m || !seller.regions.includes(m.region)) return invalidInput(res, 'Invalid Input', `Invalid MarketplaceIds: ${id}`);
        }
        const nextToken = queryString(req, 'NextToken');
        const createdAfter = queryString(req, 'CreatedAfter');
        const lastUpdatedAfter = queryString(req, 'LastUpdatedAfter');
        const createdBefore = queryString(req, 'CreatedBefore');
        const lastUpdatedBefore = queryString(req, 'LastUpdatedBefore');
        const statuses = queryList(req, 'OrderStatuses');
        const channels = queryList(req, 'FulfillmentChannels');
        const max = Number(queryString(req, 'MaxResultsPerPage') ?? ctx.config.ordersPageSize);
        if (!Number.isInteger(max) || max < 1 || max > 100) return invalidInput(res, 'Invalid Input', 'MaxResultsPerPage must be 1 to 100.');
        if (!nextToken) {
          if ((createdAfter ? 1 : 0) + (lastUpdatedAfter ? 1 : 0) !== 1) {
            return invalidInput(res, 'Invalid Input', 'Exactly one of CreatedAfter and LastUpdatedAfter is required.');
          }
          for (const d of [createdAfter, lastUpdatedAfter, createdBefore, lastUpdatedBefore]) {
            if (d !== undefined && !isIsoDate(d)) return invalidInput(res, 'Invalid Input', `${d} is not a valid ISO 8601 date.`);
          }
          if (createdBefore && !createdAfter) return invalidInput(res, 'Invalid Input', 'CreatedBefore needs CreatedAfter.');
          if (lastUpdatedBefore && !lastUpdatedAfter) return invalidInput(res, 'Invalid Input', 'LastUpdatedBefore needs LastUpdatedAfter.');
        }
        const scope = JSON.stringify([mps, createdAfter, lastUpdatedAfter, createdBefore, lastUpdatedBefore, statuses, channels, max]);
        let offset = 0;
        let effectiveScope = scope;
        if (nextToken) {
          const c = cursors.get(nextToken);
          if (!c || c.sellerId !== seller.sellerId) return invalidInput(res, 'Invalid Input', 'Invalid NextToken.');
          offset = c.offset;
          effectiveScope = c.scope;
        }
        const [sMps, sCreatedAfter, sUpdatedAfter, sCreatedBefore, sUpdatedBefore, sStatuses, sChannels, sMax] = JSON.parse(effectiveScope) as [
          string[], string | null, string | null, string | null, string | null, string[] | null, string[] | null, number,
        ];
        const upper = new Date().toISOString();
        const byUpdate = !!sUpdatedAfter;
        const rows = [...state.orders.values()]
          .filter((o) => o.sellerId === seller.sellerId && sMps.includes(o.marketplaceId))
          .filter((o) => !sStatuses || sStatuses.includes(o.orderStatus))
          .filter((o) => !sChannels || sChannels.includes(o.fulfillmentChannel))
          .filter((o) =>
            byUpdate
              ? Date.parse(o.lastUpdateDate) >= Date.parse(sUpdatedAfter ?? '') && (!sUpdatedBefore || Date.parse(o.lastUpdateDate) <= Date.parse(sUpdatedBefore))
              : Date.parse(o.purchaseDate) >= Date.parse(sCreatedAfter ?? '') && (!sCreatedBefore || Date.parse(o.purchaseDate) <= Date.parse(sCreatedBefore)),
          )
          .sort((a, b) => {
            const ka = byUpdate ? a.lastUpdateDate : a.purchaseDate;
            const kb = byUpdate ? b.lastUpdateDate : b.purchaseDate;
            return ka < kb ? -1 : ka > kb ? 1 : a.amazonOrderId < b.amazonOrderId ? -1 : 1;
          });
        const page = rows.slice(offset, offset + sMax);
        const payload: Record<string, unknown> = { Orders: page.map(orderView) };
        if (offset + sMax < rows.length) {
          const token = state.newToken('');
          cursors.set(token, { sellerId: seller.sellerId, scope: effectiveScope, offset: offset + sMax });
          payload['NextToken'] = token;
        }
        payload[byUpdate ? 'LastUpdatedBefore' : 'CreatedBefore'] = (byUpdate ? sUpdatedBefore : sCreatedBefore) ?? upper;
        res.status(200).json({ payload });
      },
      { describe: (req) => ({ marketplaceIds: queryList(req, 'MarketplaceIds') }) },
    ),
  );

  router.get(
    '/orders/v0/orders/:orderId/orderItems',
    operation(ctx, 'getOrderItems', (req, res, { seller }) => {
      const order = state.orders.get(req.params['orderId'] as string);
      if (!order || order.sellerId !== seller.sellerId) return notFound(res, `Order ${req.params['orderId']} not found`);
      const size = ctx.config.orderItemsPageSize;
      let offset = 0;
      const nextToken = queryString(req, 'NextToken');
      if (nextToken) {
        const c = cursors.get(nextToken);
        if (!c || c.sellerId !== seller.sellerId || c.scope !== `items:${order.amazonOrderId}`) {
          return sendErrors(res, 400, [{ code: 'InvalidInput', message: 'Invalid NextToken.' }]);
        }
        offset = c.offset;
      }
      const m = marketplace(order.marketplaceId);
      const page = order.items.slice(offset, offset + size);
      const payload: Record<string, unknown> = {
        AmazonOrderId: order.amazonOrderId,
        OrderItems: page.map((i) => ({
          ASIN: i.asin,
          SellerSKU: i.sku,
          OrderItemId: i.orderItemId,
          Title: i.title,
          QuantityOrdered: i.quantityOrdered,
          QuantityShipped: i.quantityShipped,
          ProductInfo: { NumberOfItems: '1' },
          ItemPrice: { CurrencyCode: m?.defaultCurrencyCode ?? order.currencyCode, Amount: (Number(i.itemPrice ?? '0') * i.quantityOrdered).toFixed(2) },
          IsGift: 'false',
          ConditionId: 'New',
          ConditionSubtypeId: 'New',
          IsTransparency: false,
          SerialNumberRequired: false,
        })),
      };
      if (offset + size < order.items.length) {
        const token = state.newToken('');
        cursors.set(token, { sellerId: seller.sellerId, scope: `items:${order.amazonOrderId}`, offset: offset + size });
        payload['NextToken'] = token;
      }
      res.status(200).json({ payload });
    }),
  );
  return router;
}
