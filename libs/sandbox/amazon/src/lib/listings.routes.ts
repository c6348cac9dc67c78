import express, { type Request, type Response, type Router } from 'express';
import { randomUUID } from 'node:crypto';
import { marketplace } from './marketplaces';
import { invalidInput, notFound, operation, queryList, queryString, sendErrors, type SandboxContext } from './sandbox-context';
import { fbaKey, poolKey, type AvailabilityRecord, type ListingRecord, type SellerRecord, type SandboxState } from './sandbox-state';

const BASE = '/listings/2021-08-01/items';
const INCLUDED = ['summaries', 'attributes', 'issues', 'offers', 'fulfillmentAvailability', 'procurement', 'relationships', 'productTypes'];

interface ListingIssue {
  code: string;
  message: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  attributeNames?: string[];
  categories: string[];
}

/** Checks marketplaceIds: present, known, and in one of the seller's regions. */
export function checkMarketplaces(res: Response, seller: SellerRecord, ids: string[] | undefined, required = true): string[] | undefined {
  if (!ids || ids.length === 0) {
    if (required) invalidInput(res, 'Invalid input', 'marketplaceIds is required.');
    return required ? undefined : [];
  }
  for (const id of ids) {
    const m = marketplace(id);
    if (!m || !seller.regions.includes(m.region)) {
      invalidInput(res, 'Invalid input', `Invalid marketplaceIds: ${id}`);
      return undefined;
    }
  }
  return ids;
}

function invalidSkuIssue(sku: string): ListingIssue {
  return {
    code: '90000900',
    message: `The attributes are invalid for SKU '${sku}'.`,
    severity: 'ERROR',
    attributeNames: ['fulfillment_availability'],
    categories: ['INVALID_ATTRIBUTE'],
  };
}

export function itemView(state: SandboxState, listing: ListingRecord, marketplaceIds: string[], includedData: string[]): Record<string, unknown> {
  const mps = marketplaceIds.filter((m) => listing.marketplaceIds.has(m));
  const first = mps[0] ?? [...listing.marketplaceIds][0];
  const avail = first ? state.getAvailability(listing.sellerId, first, listing.sku) : undefined;
  const afnCode = marketplace(first ?? '')?.afnChannelCode ?? 'AMAZON_NA';
  const fbaQty = first ? state.fba.get(fbaKey(listing.sellerId, first, listing.sku))?.fulfillable : undefined;
  const item: Record<string, unknown> = { sku: listing.sku };
  const quantity = listing.fulfillmentChannel === 'MFN' ? (avail?.quantity ?? 0) : (fbaQty ?? 0);
  if (includedData.includes('summaries')) {
    item['summaries'] = mps.map((m) => ({
      marketplaceId: m,
      asin: listing.asin,
      productType: listing.productType,
      conditionType: 'new_new',
      status: quantity > 0 ? ['BUYABLE', 'DISCOVERABLE'] : ['DISCOVERABLE'],
      itemName: listing.title,
      createdDate: listing.createdDate,
      lastUpdatedDate: listing.lastUpdatedDate,
    }));
  }
  if (includedData.includes('attributes')) {
    const fa = listing.fulfillmentChannel === 'MFN' ? [{ ...(avail ?? { fulfillment_channel_code: 'DEFAULT' }) }] : [{ fulfillment_channel_code: afnCode }];
    item['attributes'] = {
      item_name: mps.map((m) => ({ value: listing.title, language_tag: marketplace(m)?.defaultLanguageCode, marketplace_id: m })),
      condition_type: [{ value: 'new_new', marketplace_id: first }],
      fulfillment_availability: fa,
    };
  }
  if (includedData.includes('issues')) item['issues'] = state.isInvalidSku(listing.sellerId, listing.sku) ? [invalidSkuIssue(listing.sku)] : [];
  if (includedData.includes('offers')) {
    item['offers'] = mps.map((m) => ({
      marketplaceId: m,
      offerType: 'B2C',
      price: { currencyCode: marketplace(m)?.defaultCurrencyCode ?? 'USD', amount: listing.price },
      audience: { value: 'ALL', displayName: 'Sell on Amazon' },
    }));
  }
  if (includedData.includes('fulfillmentAvailability')) {
    item['fulfillmentAvailability'] =
      listing.fulfillmentChannel === 'MFN' ? [{ fulfillmentChannelCode: 'DEFAULT', quantity }] : [{ fulfillmentChannelCode: afnCode, quantity }];
  }
  if (includedData.includes('procurement')) item['procurement'] = [];
  if (includedData.includes('relationships')) item['relationships'] = mps.map((m) => ({ marketplaceId: m, relationships: [] }));
  if (includedData.includes('productTypes')) item['productTypes'] = mps.map((m) => ({ marketplaceId: m, productType: listing.productType }));
  return item;
}

interface Patch {
  op: string;
  path: string;
  value?: unknown[];
}

/**
 * Applies JSON patches on /attributes/fulfillment_availability to every marketplace given (one pool
 * per seller+SKU in the EU). `merge` keeps the fields it does not name; `replace`/`add` replace the entry.
 */
export function applyAvailabilityPatches(state: SandboxState, listing: ListingRecord, marketplaceIds: string[], patches: Patch[]): void {
  for (const patch of patches) {
    if (patch.path !== '/attributes/fulfillment_availability') continue;
    for (const m of marketplaceIds) {
      if (patch.op === 'delete') {
        state.availability.delete(poolKey(listing.sellerId, m, listing.sku));
        continue;
      }
      for (const raw of patch.value ?? []) {
        const value = raw as AvailabilityRecord;
        if (value.fulfillment_channel_code !== 'DEFAULT') continue;
        const existing = state.getAvailability(listing.sellerId, m, listing.sku);
        const next: AvailabilityRecord = patch.op === 'merge' ? { ...(existing ?? { fulfillment_channel_code: 'DEFAULT' }), ...value } : { ...value };
        state.setAvailability(listing.sellerId, m, listing.sku, next);
        // Sending a DEFAULT quantity turns an FBA listing into a merchant-fulfilled one, as on Amazon.
        listing.fulfillmentChannel = 'MFN';
        listing.marketplaceIds.add(m);
      }
    }
    listing.lastUpdatedDate = new Date().toISOString();
  }
}

/** Problems with a patch request's patches, as listing issues (empty when valid). */
export function patchIssues(patches: Patch[]): ListingIssue[] {
  const issues: ListingIssue[] = [];
  for (const p of patches) {
    if (p.path !== '/attributes/fulfillment_availability') continue;
    for (const v of (p.value ?? []) as Array<Record<string, unknown>>) {
      const q = v['quantity'];
      if (q !== undefined && (typeof q !== 'number' || !Number.isInteger(q) || q < 0)) {
        issues.push({
          code: '4000003',
          message: `The value '${String(q)}' for 'quantity' is not a valid non-negative integer.`,
          severity: 'ERROR',
          attributeNames: ['fulfillment_availability'],
          categories: ['INVALID_ATTRIBUTE'],
        });
      }
    }
  }
  return issues;
}

export function listingsRoutes(ctx: SandboxContext): Router {
  const router = express.Router();
  const { state } = ctx;
  const sameSeller = (req: Request, res: Response, seller: SellerRecord): boolean => {
    if (req.params['sellerId'] !== seller.sellerId) {
      sendErrors(res, 403, [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The seller ID does not match the access token.' }]);
      return false;
    }
    return true;
  };
  const describe = (req: Request) => {
    const body = req.body as { patches?: Array<{ value?: Array<{ quantity?: number }> }> } | undefined;
    const q = body?.patches?.[0]?.value?.[0]?.quantity;
    return {
      sku: req.params['sku'] as string | undefined,
      marketplaceIds: queryList(req, 'marketplaceIds'),
      ...(typeof q === 'number' ? { quantity: q } : {}),
    };
  };

  router.get(
    `${BASE}/:sellerId/:sku`,
    operation(ctx, 'getListingsItem', (req, res, { seller }) => {
      if (!sameSeller(req, res, seller)) return;
      const mps = checkMarketplaces(res, seller, queryList(req, 'marketplaceIds'));
      if (!mps) return;
      const included = queryList(req, 'includedData') ?? ['summaries'];
      if (included.some((x) => !INCLUDED.includes(x))) return invalidInput(res, 'Invalid input', 'Invalid includedData.');
      const sku = req.params['sku'] as string;
      const listing = state.getListing(seller.sellerId, sku);
      if (!listing || !mps.some((m) => listing.marketplaceIds.has(m))) {
        return notFound(res, `SKU '${sku}' not found in marketplace ${mps[0]}`);
      }
      res.status(200).json(itemView(state, listing, mps, included));
    }, { describe }),
  );

  router.patch(
    `${BASE}/:sellerId/:sku`,
    express.json({ limit: '1mb' }),
    operation(ctx, 'patchListingsItem', (req, res, { seller }) => {
      if (!sameSeller(req, res, seller)) return;
      const mps = checkMarketplaces(res, seller, queryList(req, 'marketplaceIds'));
      if (!mps) return;
      const body = req.body as { productType?: unknown; patches?: unknown } | undefined;
      if (!body || typeof body.productType !== 'string' || !Array.isArray(body.patches) || body.patches.length === 0) {
        return invalidInput(res, 'Invalid input', 'The request body must have a productType and at least one patch.');
      }
      const patches = body.patches as Patch[];
      if (patches.some((p) => !p || !['add', 'replace', 'merge', 'delete'].includes(p.op) || typeof p.path !== 'string' || !p.path.startsWith('/attributes/'))) {
        return invalidInput(res, 'Invalid input', 'Invalid patch operation.');
      }
      const sku = req.params['sku'] as string;
      const preview = queryString(req, 'mode') === 'VALIDATION_PREVIEW';
      const included = queryList(req, 'includedData') ?? ['issues'];
      const listing = state.getListing(seller.sellerId, sku);
      let issues: ListingIssue[] = [];
      if (state.isInvalidSku(seller.sellerId, sku)) issues.push(invalidSkuIssue(sku));
      else if (!listing) {
        issues.push({ code: '4000001', message: `SKU '${sku}' does not exist for this seller in the requested marketplaces.`, severity: 'ERROR', categories: ['INVALID_ATTRIBUTE'] });
      } else issues = patchIssues(patches);
      const invalid = issues.some((i) => i.severity === 'ERROR');
      if (!invalid && !preview && listing) applyAvailabilityPatches(state, listing, mps, patches);
      const answer: Record<string, unknown> = {
        sku,
        status: invalid ? 'INVALID' : preview ? 'VALID' : 'ACCEPTED',
        submissionId: randomUUID(),
        issues: included.includes('issues') || invalid ? issues : [],
      };
      if (included.includes('identifiers')) {
        answer['identifiers'] = invalid || !listing ? [] : mps.filter((m) => listing.marketplaceIds.has(m)).map((m) => ({ marketplaceId: m, asin: listing.asin }));
      }
      res.status(200).json(answer);
    }, { describe }),
  );

  router.get(
    `${BASE}/:sellerId`,
    operation(ctx, 'searchListingsItems', (req, res, { seller }) => {
      if (!sameSeller(req, res, seller)) return;
      const mps = checkMarketplaces(res, seller, queryList(req, 'marketplaceIds'));
      if (!mps) return;
      const included = queryList(req, 'includedData') ?? ['summaries'];
      if (included.some((x) => !INCLUDED.includes(x))) return invalidInput(res, 'Invalid input', 'Invalid includedData.');
      const identifiers = queryList(req, 'identifiers');
      const identifiersType = queryString(req, 'identifiersType');
      if (identifiers && !identifiersType) return invalidInput(res, 'Invalid input', 'identifiersType is required with identifiers.');
      if (identifiers && identifiers.length > 20) return invalidInput(res, 'Invalid input', 'At most 20 identifiers.');
      const pageSize = Number(queryString(req, 'pageSize') ?? 10);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 20) return invalidInput(res, 'Invalid input', 'pageSize must be 1 to 20.');
      let offset = 0;
      const pageToken = queryString(req, 'pageToken');
      if (pageToken) {
        const decoded = Number(Buffer.from(pageToken, 'base64url').toString('utf8').replace(/^o:/, ''));
        if (!Number.isInteger(decoded) || decoded < 0) return invalidInput(res, 'Invalid input', 'Invalid pageToken.');
        offset = decoded;
      }
      const all = [...state.listings.values()]
        .filter((l) => l.sellerId === seller.sellerId && mps.some((m) => l.marketplaceIds.has(m)))
        .filter((l) => !identifiers || (identifiersType === 'ASIN' ? identifiers.includes(l.asin) : identifiers.includes(l.sku)))
        .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
      const page = all.slice(offset, offset + pageSize);
      const pagination: Record<string, string> = {};
      if (offset + pageSize < all.length) pagination['nextToken'] = Buffer.from(`o:${offset + pageSize}`).toString('base64url');
      if (offset > 0) pagination['previousToken'] = Buffer.from(`o:${Math.max(0, offset - pageSize)}`).toString('base64url');
      res.status(200).json({
        numberOfResults: all.length,
        ...(Object.keys(pagination).length ? { pagination } : {}),
        items: page.map((l) => itemView(state, l, mps, included)),
      });
    }, { describe: (req) => ({ marketplaceIds: queryList(req, 'marketplaceIds') }) }),
  );
  return router;
}
