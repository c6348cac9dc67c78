import express, { type Router } from 'express';
import { documentUrl, storeResultDocument } from './feeds.routes';
import { checkMarketplaces } from './listings.routes';
import { marketplace } from './marketplaces';
import { invalidInput, isIsoDate, operation, type SandboxContext } from './sandbox-context';
import type { ReportRecord, SandboxState } from './sandbox-state';

export const SUPPORTED_REPORT_TYPES = ['GET_MERCHANT_LISTINGS_ALL_DATA', 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA'];

export const MERCHANT_LISTINGS_COLUMNS = [
  'item-name', 'item-description', 'listing-id', 'seller-sku', 'price', 'quantity', 'open-date', 'image-url', 'item-is-marketplace',
  'product-id-type', 'zshop-shipping-fee', 'item-note', 'item-condition', 'zshop-category1', 'zshop-browse-path', 'zshop-storefront-feature',
  'asin1', 'asin2', 'asin3', 'will-ship-internationally', 'expedited-shipping', 'zshop-boldface', 'product-id', 'bid-for-featured-placement',
  'add-delete', 'pending-quantity', 'fulfillment-channel', 'merchant-shipping-group', 'status',
];

export const FBA_MYI_COLUMNS = [
  'sku', 'fnsku', 'asin', 'product-name', 'condition', 'your-price', 'mfn-listing-exists', 'mfn-fulfillable-quantity', 'afn-listing-exists',
  'afn-warehouse-quantity', 'afn-fulfillable-quantity', 'afn-unsellable-quantity', 'afn-reserved-quantity', 'afn-total-quantity',
  'per-unit-volume', 'afn-inbound-working-quantity', 'afn-inbound-shipped-quantity', 'afn-inbound-receiving-quantity',
  'afn-researching-quantity', 'afn-reserved-future-supply', 'afn-future-supply-buyable',
];

const clean = (v: string) => v.replace(/[\t\r\n]+/g, ' ');

function tsv(columns: string[], rows: Array<Record<string, string | number>>): string {
  return [columns.join('\t'), ...rows.map((r) => columns.map((c) => clean(String(r[c] ?? ''))).join('\t'))].join('\n') + '\n';
}

/** The content of a report, generated from the state at processing time. */
export function reportContent(state: SandboxState, report: ReportRecord): string {
  const mp = report.marketplaceIds[0];
  const listings = [...state.listings.values()]
    .filter((l) => l.sellerId === report.sellerId && l.marketplaceIds.has(mp))
    .sort((a, b) => (a.sku < b.sku ? -1 : 1));
  if (report.reportType === 'GET_MERCHANT_LISTINGS_ALL_DATA') {
    return tsv(
      MERCHANT_LISTINGS_COLUMNS,
      listings.map((l, i) => {
        const qty = l.fulfillmentChannel === 'MFN' ? (state.getAvailability(l.sellerId, mp, l.sku)?.quantity ?? 0) : '';
        return {
          'item-name': l.title,
          'listing-id': `${l.createdDate.slice(2, 10).replace(/-/g, '')}X${String(i + 1).padStart(6, '0')}`,
          'seller-sku': l.sku,
          price: l.price,
          quantity: qty,
          'open-date': l.createdDate.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'),
          'item-is-marketplace': 'y',
          'product-id-type': '1',
          'item-condition': '11',
          asin1: l.asin,
          'will-ship-internationally': '1',
          'product-id': l.asin,
          'pending-quantity': '0',
          'fulfillment-channel': l.fulfillmentChannel === 'MFN' ? 'DEFAULT' : (marketplace(mp)?.afnChannelCode ?? 'AMAZON_NA'),
          'merchant-shipping-group': 'Migrated Template',
          status: typeof qty === 'number' && qty === 0 ? 'Inactive' : 'Active',
        };
      }),
    );
  }
  const fbaRows = [...state.fba.values()].filter((r) => r.sellerId === report.sellerId && r.marketplaceId === mp).sort((a, b) => (a.sku < b.sku ? -1 : 1));
  return tsv(
    FBA_MYI_COLUMNS,
    fbaRows.map((r) => {
      const inbound = r.inboundWorking + r.inboundShipped + r.inboundReceiving;
      const listing = state.getListing(r.sellerId, r.sku);
      return {
        sku: r.sku,
        fnsku: r.fnSku,
        asin: r.asin,
        'product-name': r.productName,
        condition: r.condition,
        'your-price': listing?.price ?? '',
        'mfn-listing-exists': listing?.fulfillmentChannel === 'MFN' ? 'Yes' : 'No',
        'mfn-fulfillable-quantity': listing?.fulfillmentChannel === 'MFN' ? (state.getAvailability(r.sellerId, mp, r.sku)?.quantity ?? 0) : '',
        'afn-listing-exists': 'Yes',
        'afn-warehouse-quantity': r.fulfillable + r.unfulfillable + r.reserved,
        'afn-fulfillable-quantity': r.fulfillable,
        'afn-unsellable-quantity': r.unfulfillable,
        'afn-reserved-quantity': r.reserved,
        'afn-total-quantity': r.fulfillable + r.unfulfillable + r.reserved + inbound,
        'per-unit-volume': '0.1',
        'afn-inbound-working-quantity': r.inboundWorking,
        'afn-inbound-shipped-quantity': r.inboundShipped,
        'afn-inbound-receiving-quantity': r.inboundReceiving,
        'afn-researching-quantity': r.researching,
        'afn-reserved-future-supply': 0,
        'afn-future-supply-buyable': 0,
      };
    }),
  );
}

export function reportsRoutes(ctx: SandboxContext): Router {
  const router = express.Router();
  const { state } = ctx;
  const BASE = '/reports/2021-06-30';

  router.post(
    `${BASE}/reports`,
    express.json(),
    operation(ctx, 'createReport', (req, res, { seller }) => {
      const body = (req.body ?? {}) as { reportType?: unknown; marketplaceIds?: unknown; dataStartTime?: unknown; dataEndTime?: unknown };
      if (typeof body.reportType !== 'string' || !SUPPORTED_REPORT_TYPES.includes(body.reportType)) {
        return invalidInput(res, 'Invalid input', `Unsupported reportType. The sandbox supports ${SUPPORTED_REPORT_TYPES.join(', ')}.`);
      }
      if (!Array.isArray(body.marketplaceIds) || body.marketplaceIds.length === 0 || body.marketplaceIds.length > 25) {
        return invalidInput(res, 'Invalid input', 'marketplaceIds must have 1 to 25 entries.');
      }
      // Amazon accepts marketplaces of other regions in the request; the report covers the first one.
      const known = body.marketplaceIds.map(String).filter((m) => marketplace(m));
      if (known.length !== body.marketplaceIds.length) return invalidInput(res, 'Invalid input', 'Unknown marketplaceIds.');
      const own = known.filter((m) => seller.regions.some((r) => r === marketplace(m)?.region));
      if (own.length === 0 && !checkMarketplaces(res, seller, known)) return;
      for (const d of [body.dataStartTime, body.dataEndTime]) {
        if (d !== undefined && (typeof d !== 'string' || !isIsoDate(d))) return invalidInput(res, 'Invalid input', 'Invalid date.');
      }
      const report: ReportRecord = {
        reportId: state.nextReportId(),
        sellerId: seller.sellerId,
        reportType: body.reportType,
        marketplaceIds: [...own, ...known.filter((m) => !own.includes(m))],
        ...(typeof body.dataStartTime === 'string' ? { dataStartTime: body.dataStartTime } : {}),
        ...(typeof body.dataEndTime === 'string' ? { dataEndTime: body.dataEndTime } : {}),
        createdTime: new Date().toISOString(),
        processingStatus: 'IN_QUEUE',
      };
      state.reports.set(report.reportId, report);
      const delay = ctx.config.reportProcessingDelayMs;
      ctx.later(Math.floor(delay / 2), () => {
        if (report.processingStatus !== 'IN_QUEUE') return;
        report.processingStatus = 'IN_PROGRESS';
        report.processingStartTime = new Date().toISOString();
      });
      ctx.later(delay, () => {
        report.processingStartTime ??= new Date().toISOString();
        report.reportDocumentId = storeResultDocument(ctx, { kind: 'report', sellerId: report.sellerId, contentType: 'text/tab-separated-values; charset=UTF-8' }, reportContent(state, report));
        report.processingStatus = 'DONE';
        report.processingEndTime = new Date().toISOString();
      });
      res.status(202).json({ reportId: report.reportId });
    }),
  );

  router.get(
    `${BASE}/reports/:reportId`,
    operation(ctx, 'getReport', (req, res, { seller }) => {
      const r = state.reports.get(req.params['reportId'] as string);
      if (!r || r.sellerId !== seller.sellerId) return invalidInput(res, 'Invalid input', 'Unknown reportId.');
      res.status(200).json({
        reportId: r.reportId,
        reportType: r.reportType,
        marketplaceIds: r.marketplaceIds,
        ...(r.dataStartTime ? { dataStartTime: r.dataStartTime } : {}),
        ...(r.dataEndTime ? { dataEndTime: r.dataEndTime } : {}),
        createdTime: r.createdTime,
        processingStatus: r.processingStatus,
        ...(r.processingStartTime ? { processingStartTime: r.processingStartTime } : {}),
        ...(r.processingEndTime ? { processingEndTime: r.processingEndTime } : {}),
        ...(r.reportDocumentId ? { reportDocumentId: r.reportDocumentId } : {}),
      });
    }),
  );

  router.get(
    `${BASE}/documents/:reportDocumentId`,
    operation(ctx, 'getReportDocument', (req, res, { seller }) => {
      const doc = state.documents.get(req.params['reportDocumentId'] as string);
      if (!doc || doc.kind !== 'report' || doc.sellerId !== seller.sellerId) return invalidInput(res, 'Invalid input', 'Unknown reportDocumentId.');
      res.status(200).json({
        reportDocumentId: doc.id,
        url: documentUrl(req, doc.id),
        ...(doc.compressionAlgorithm ? { compressionAlgorithm: doc.compressionAlgorithm } : {}),
      });
    }),
  );
  return router;
}
