import express, { type Router } from 'express';
import { marketplace } from './marketplaces';
import { invalidInput, isIsoDate, operation, queryList, queryString, sendErrors, type SandboxContext } from './sandbox-context';
import type { FbaRecord } from './sandbox-state';

export function summaryView(r: FbaRecord, details: boolean): Record<string, unknown> {
  const inbound = r.inboundWorking + r.inboundShipped + r.inboundReceiving;
  const out: Record<string, unknown> = {
    asin: r.asin,
    fnSku: r.fnSku,
    sellerSku: r.sku,
    condition: r.condition,
    lastUpdatedTime: r.lastUpdatedTime,
    productName: r.productName,
    totalQuantity: r.fulfillable + r.reserved + r.unfulfillable + r.researching + inbound,
    stores: [],
  };
  if (details) {
    out['inventoryDetails'] = {
      fulfillableQuantity: r.fulfillable,
      inboundWorkingQuantity: r.inboundWorking,
      inboundShippedQuantity: r.inboundShipped,
      inboundReceivingQuantity: r.inboundReceiving,
      reservedQuantity: { totalReservedQuantity: r.reserved, pendingCustomerOrderQuantity: r.reserved, pendingTransshipmentQuantity: 0, fcProcessingQuantity: 0 },
      researchingQuantity: { totalResearchingQuantity: r.researching, researchingQuantityBreakdown: [] },
      unfulfillableQuantity: {
        totalUnfulfillableQuantity: r.unfulfillable,
        customerDamagedQuantity: 0,
        warehouseDamagedQuantity: r.unfulfillable,
        distributorDamagedQuantity: 0,
        carrierDamagedQuantity: 0,
        defectiveQuantity: 0,
        expiredQuantity: 0,
      },
    };
  }
  return out;
}

/** FBA Inventory API v1 getInventorySummaries with expiring `nextToken` paging. */
export function inventoryRoutes(ctx: SandboxContext): Router {
  const router = express.Router();
  const { state } = ctx;
  router.get(
    '/fba/inventory/v1/summaries',
    operation(
      ctx,
      'getInventorySummaries',
      (req, res, { seller }) => {
        const granularityType = queryString(req, 'granularityType');
        const granularityId = queryString(req, 'granularityId');
        const mps = queryList(req, 'marketplaceIds');
        if (granularityType !== 'Marketplace') return invalidInput(res, 'Invalid Input', 'granularityType must be Marketplace.');
        if (!granularityId || !mps || mps.length !== 1) return invalidInput(res, 'Invalid Input', 'granularityId and exactly one marketplaceIds are required.');
        const m = marketplace(mps[0]);
        if (!m || !seller.regions.includes(m.region) || granularityId !== mps[0]) return invalidInput(res, 'Invalid Input', `Invalid marketplaceIds: ${mps[0]}`);
        const details = queryString(req, 'details') === 'true';
        const startDateTime = queryString(req, 'startDateTime');
        if (startDateTime && !isIsoDate(startDateTime)) {
          return invalidInput(res, 'Query parameter [startDateTime] value is not a valid ISO date-time object');
        }
        const skus = queryList(req, 'sellerSkus');
        if (skus && skus.length > 50) return invalidInput(res, 'Invalid Input', 'At most 50 sellerSkus.');
        const single = queryString(req, 'sellerSku');
        const scope = JSON.stringify([seller.sellerId, mps[0], details, startDateTime ?? null, startDateTime ? null : (skus ?? single ?? null)]);
        let offset = 0;
        const nextToken = queryString(req, 'nextToken');
        if (nextToken !== undefined) {
          const t = state.pageTokens.get(nextToken);
          if (!t || t.sellerId !== seller.sellerId || t.expiresAt <= Date.now() || t.scope !== scope) {
            if (t && t.expiresAt <= Date.now()) state.pageTokens.delete(nextToken);
            sendErrors(res, 400, [{ code: 'InvalidInput', message: 'Next token is invalid or expired' }]);
            return;
          }
          state.pageTokens.delete(nextToken);
          offset = t.offset;
        }
        const since = startDateTime ? Date.parse(startDateTime) : undefined;
        const rows = [...state.fba.values()]
          .filter((r) => r.sellerId === seller.sellerId && r.marketplaceId === mps[0])
          .filter((r) => (since !== undefined ? Date.parse(r.lastUpdatedTime) >= since : skus ? skus.includes(r.sku) : single ? r.sku === single : true))
          .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
        const size = ctx.config.inventoryPageSize;
        const page = rows.slice(offset, offset + size);
        const body: Record<string, unknown> = {
          payload: { granularity: { granularityType: 'Marketplace', granularityId }, inventorySummaries: page.map((r) => summaryView(r, details)) },
        };
        if (offset + size < rows.length) {
          const token = state.newToken('');
          state.pageTokens.set(token, { sellerId: seller.sellerId, scope, offset: offset + size, expiresAt: Date.now() + ctx.config.inventoryNextTokenTtlMs });
          body['pagination'] = { nextToken: token };
        }
        res.status(200).json(body);
      },
      { describe: (req) => ({ marketplaceIds: queryList(req, 'marketplaceIds') }) },
    ),
  );
  return router;
}
