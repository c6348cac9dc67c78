import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { InvalidInputError, RateLimiter, SpApiClient, type SpApiError } from '../src';
import { loadExamples, label, type AmazonExample } from './support/amazon-examples';
import { sandbox, type AmazonSandbox } from './support/sandbox';

const examples = loadExamples();
/** Served by the sandbox but not called by the client: its examples are replayed over HTTP only. */
const SANDBOX_ONLY = new Set(['searchListingsItems']);
const clientExamples = examples.filter((e) => !SANDBOX_ONLY.has(e.operationId));
const US = 'ATVPDKIKX0DER';
const SELLER = 'EXAMPLESELLER';

/** Every top-level key of the example (and of its `payload`) is in the answer; non-empty arrays stay non-empty (but a healthy listing has no issues). */
function shapeProblems(example: unknown, actual: unknown, where = '', depth = 0): string[] {
  if (!example || typeof example !== 'object' || Array.isArray(example)) return [];
  const problems: string[] = [];
  const a = (actual ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(example as Record<string, unknown>)) {
    if (!(k in a)) problems.push(`${where}${k} missing`);
    else if (Array.isArray(v) && v.length > 0 && k !== 'issues' && (!Array.isArray(a[k]) || (a[k] as unknown[]).length === 0)) problems.push(`${where}${k} empty`);
    else if (depth === 0 && k === 'payload') problems.push(...shapeProblems(v, a[k], 'payload.', 1));
  }
  return problems;
}

describe("Amazon's x-amzn-api-sandbox static examples", () => {
  it('cover every operation the client uses (except getInventorySummaries, which only has dynamic examples) and the sandbox-only searchListingsItems', () => {
    const ops = new Set(examples.map((e) => e.operationId));
    expect([...ops].sort()).toEqual(
      ['createFeed', 'createFeedDocument', 'createReport', 'getFeed', 'getFeedDocument', 'getListingsItem', 'getMarketplaceParticipations', 'getOrder', 'searchOrders', 'getReport', 'getReportDocument', 'patchListingsItem', 'searchListingsItems'].sort(),
    );
    expect(examples.length).toBeGreaterThanOrEqual(28);
  });

  it("every example answer validates against its model's schema", () => {
    const bad = examples.filter((e) => !e.validate(e.response)).map((e) => `${label(e)}: ${JSON.stringify(e.validate.errors?.slice(0, 2))}`);
    expect(bad).toEqual([]);
  });

  describe('replayed against the sandbox', () => {
    let sb: AmazonSandbox;
    let token: string;
    const ids: Record<string, string> = {};

    const send = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${sb.url}${path}`, {
        method,
        headers: { 'x-amz-access-token': token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };

    beforeAll(async () => {
      sb = await sandbox({ rateLimits: 'off', feedProcessingDelayMs: 0, reportProcessingDelayMs: 0 });
      sb.admin.seedSellers({ sellerId: SELLER, regions: ['NA', 'EU', 'FE'], refreshToken: 'ex-refresh-token', clientId: 'ex-client', clientSecret: 'ex-secret' });
      for (const sku of ['GM-ZDPI-9B4E', 'HW-ZDPI-9B4E', 'TC-ZDPI-9B4E']) {
        for (const marketplaceId of [US, 'A2EUQ1WTGCTBG2']) sb.admin.seedListings({ sellerId: SELLER, sku, marketplaceId, quantity: 100, asin: 'B071VG5N9D' });
      }
      for (const sku of ['VALIDATION_VALID', 'VALIDATION_INVALID']) sb.admin.seedListings({ sellerId: SELLER, sku, marketplaceId: US, quantity: 1 });
      sb.admin.markSkusInvalid(['VALIDATION_INVALID']);
      // The orders Amazon's 2026-01-01 examples name, in their marketplaces, after their createdAfter.
      const placed = '2024-12-25T02:30:00Z';
      const exampleOrders: Array<[string, string, string]> = [
        ['250-1234567-8901234', 'A1VC38T7YXB528', 'Shipped'],
        ['250-1234567-8901235', 'A1VC38T7YXB528', 'Unshipped'],
        ['202-7654321-1098765', 'A1F83G8C2ARO7P', 'Shipped'],
        ['202-7654321-1098766', 'A1F83G8C2ARO7P', 'Unshipped'],
        ['171-2345678-9012345', 'A2Q3Y263D00KWC', 'Unshipped'],
        ['171-9876543-2109876', US, 'Unshipped'],
        ['028-1234567-8901234', US, 'Unshipped'],
        ['114-9876543-1234567', US, 'Shipped'],
      ];
      sb.admin.upsertOrders(
        exampleOrders.map(([amazonOrderId, marketplaceId, orderStatus]) => ({ sellerId: SELLER, amazonOrderId, marketplaceId, orderStatus: orderStatus as 'Shipped' | 'Unshipped', purchaseDate: placed, lastUpdateDate: placed, items: [{ sku: 'GM-ZDPI-9B4E', quantity: 1 }] })),
      );
      const t = await fetch(`${sb.url}/auth/o2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&refresh_token=ex-refresh-token&client_id=ex-client&client_secret=ex-secret',
      }).then((r) => r.json() as Promise<{ access_token: string }>);
      token = t.access_token;
      // Documents, a feed and a report for the examples that name existing ones.
      const doc = await send('POST', '/feeds/2021-06-30/documents', { contentType: 'application/json; charset=UTF-8' });
      await fetch(doc.body.url, { method: 'PUT', headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ header: { sellerId: SELLER, version: '2.0' }, messages: [{ messageId: 1, sku: 'GM-ZDPI-9B4E', operationType: 'PATCH', productType: 'LUGGAGE', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 5 }] }] }] }) });
      ids['inputFeedDocumentId'] = doc.body.feedDocumentId;
      const feed = await send('POST', '/feeds/2021-06-30/feeds', { feedType: 'JSON_LISTINGS_FEED', marketplaceIds: [US], inputFeedDocumentId: doc.body.feedDocumentId });
      ids['feedId'] = feed.body.feedId;
      const report = await send('POST', '/reports/2021-06-30/reports', { reportType: 'GET_MERCHANT_LISTINGS_ALL_DATA', marketplaceIds: [US], dataStartTime: '2024-03-10T20:11:24.000Z', dataEndTime: '2024-03-11T20:11:24.000Z' });
      ids['reportId'] = report.body.reportId;
      await new Promise((r) => setTimeout(r, 50));
      ids['feedDocumentId'] = (await send('GET', `/feeds/2021-06-30/feeds/${ids['feedId']}`)).body.resultFeedDocumentId;
      ids['reportDocumentId'] = (await send('GET', `/reports/2021-06-30/reports/${ids['reportId']}`)).body.reportDocumentId;
    });
    afterAll(() => sb.close());

    /** Turns Amazon's test-vector placeholders into this sandbox's world; the expected status stays the example's. */
    async function adapt(e: AmazonExample): Promise<Record<string, unknown>> {
      const p = { ...e.parameters };
      const ok = e.status < 300;
      if (e.parameterIn['sellerId']) p['sellerId'] = SELLER;
      if (ok) {
        if (e.parameterIn['sku'] && p['sku'] === undefined) p['sku'] = 'GM-ZDPI-9B4E';
        if (e.parameterIn['marketplaceIds'] === 'query' && p['marketplaceIds'] === undefined) p['marketplaceIds'] = [US];
        if (e.operationId === 'patchListingsItem' && !(p['body'] && Object.keys(p['body'] as object).length)) {
          p['body'] = { productType: 'LUGGAGE', patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 7 }] }] };
        }
        if (e.operationId === 'getListingsItem' && p['includedData'] === undefined) {
          p['includedData'] = Object.keys(e.response as object).filter((k) => k !== 'sku');
        }
        for (const k of ['feedId', 'feedDocumentId', 'reportId', 'reportDocumentId']) if (e.parameterIn[k] && p[k] !== undefined) p[k] = ids[k];
        if (p['body'] && (p['body'] as Record<string, unknown>)['inputFeedDocumentId']) p['body'] = { ...(p['body'] as object), inputFeedDocumentId: ids['inputFeedDocumentId'] };
        if (e.operationId === 'searchOrders' && (e.response as { pagination?: unknown }).pagination !== undefined) p['maxResultsPerPage'] = 1;
        if (e.operationId === 'searchOrders' && p['paginationToken'] !== undefined) {
          const first = await request(e, { ...p, paginationToken: undefined, maxResultsPerPage: 1 });
          p['paginationToken'] = first.body.pagination.nextToken;
        }
      }
      return p;
    }

    function request(e: AmazonExample, p: Record<string, unknown>) {
      let path = e.pathTemplate;
      const query = new URLSearchParams();
      let body: unknown;
      for (const [k, v] of Object.entries(p)) {
        if (v === undefined) continue;
        const where = e.parameterIn[k];
        if (where === 'path') path = path.replace(`{${k}}`, encodeURIComponent(String(v)));
        else if (where === 'query') query.set(k, Array.isArray(v) ? v.join(',') : String(v));
        else if (where === 'body') body = v;
      }
      const qs = query.toString();
      return send(e.method, `${path}${qs ? `?${qs}` : ''}`, body ?? (e.method === 'POST' || e.method === 'PATCH' ? {} : undefined));
    }

    it.each(examples.map((e) => [label(e), e] as const))('%s', async (_name, e) => {
      const answer = await request(e, await adapt(e));
      if (e.status < 300) {
        expect(answer.status).toBe(e.status);
        expect(shapeProblems(e.response, answer.body)).toEqual([]);
      } else {
        // Amazon's sandbox answers 400 for its placeholder IDs; ours answers 404 where production does for an unknown resource.
        expect([400, 404]).toContain(answer.status);
      }
      const valid = e.validate(answer.body) || (answer.status !== e.status && answer.body?.errors?.length > 0);
      if (!valid) throw new Error(`answer does not match the model: ${JSON.stringify(e.validate.errors?.slice(0, 3))} ${JSON.stringify(answer.body).slice(0, 300)}`);
    });
  });

  describe('answers parsed by the client', () => {
    let server: Server;
    let base: string;
    let current: AmazonExample;
    let lastUrl: URL;

    beforeAll(async () => {
      const app = express();
      app.post('/auth/o2/token', (_req, res) => void res.json({ access_token: 'Atza|replay-token', token_type: 'bearer', expires_in: 3600 }));
      app.use(express.json());
      app.use((req, res) => {
        lastUrl = new URL(req.originalUrl, 'http://x');
        res.status(current.status).json(current.response);
      });
      server = await new Promise((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    const client = () =>
      new SpApiClient({
        sellerId: SELLER,
        region: 'NA',
        credentials: { refreshToken: 'replay-refresh', clientId: 'replay-client', clientSecret: 'replay-secret' },
        spApiEndpoint: base,
        lwaEndpoint: `${base}/auth/o2/token`,
        rateLimiter: new RateLimiter(),
        retry: { maxAttempts: 1 },
      });

    async function invoke(c: SpApiClient, e: AmazonExample): Promise<unknown> {
      const p = e.parameters as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const mps = p['marketplaceIds'] ?? [US];
      switch (e.operationId) {
        case 'getListingsItem':
          return c.listingsItems.getListingsItem(p['sku'] ?? 'GM-ZDPI-9B4E', mps);
        case 'patchListingsItem':
          return c.listingsItems.patchListingsItemQuantity(p['sku'] ?? 'GM-ZDPI-9B4E', mps, 7, { mode: p['mode'], includedData: p['includedData'] });
        case 'createFeedDocument':
          return c.feeds.createFeedDocument(p['body']?.contentType);
        case 'createFeed':
          return c.feeds.createFeed(p['body']);
        case 'getFeed':
          return c.feeds.getFeed(p['feedId']);
        case 'getFeedDocument':
          return c.feeds.getFeedDocument(p['feedDocumentId']);
        case 'searchOrders':
          return c.orders.searchOrders(p);
        case 'getOrder':
          return c.orders.getOrder(p['orderId'], p['includedData']);
        case 'createReport':
          return c.reports.createReport(p['body']);
        case 'getReport':
          return c.reports.getReport(p['reportId']);
        case 'getReportDocument':
          return c.reports.getReportDocument(p['reportDocumentId']);
        case 'getMarketplaceParticipations':
          return c.sellers.getMarketplaceParticipations();
      }
      throw new Error(`no invocation for ${e.operationId}`);
    }

    it.each(clientExamples.map((e) => [label(e), e] as const))('%s', async (_name, e) => {
      current = e;
      const c = client();
      const r = e.response as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (e.status >= 400) {
        const err = (await invoke(c, e).catch((x: unknown) => x)) as SpApiError;
        expect(err).toBeInstanceOf(InvalidInputError);
        expect(err.status).toBe(e.status);
        expect(err.amazonErrors.map((x) => [x.code, x.message])).toEqual(r['errors'].map((x: { code: string; message: string }) => [x.code, x.message]));
        return;
      }
      const out = (await invoke(c, e)) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
      // The request carried the example's query parameters.
      for (const [k, v] of Object.entries(e.parameters)) {
        if (e.parameterIn[k] === 'query') expect(lastUrl.searchParams.get(k)).toBe(Array.isArray(v) ? v.join(',') : String(v));
        if (e.parameterIn[k] === 'path') expect(decodeURIComponent(lastUrl.pathname)).toContain(String(v));
      }
      switch (e.operationId) {
        case 'getListingsItem':
          expect(out).toEqual(r);
          break;
        case 'patchListingsItem':
          expect(out).toMatchObject({ sku: r['sku'], status: r['status'], submissionId: r['submissionId'], issues: r['issues'] });
          break;
        case 'createFeedDocument':
          expect(out).toEqual({ feedDocumentId: r['feedDocumentId'], url: r['url'] });
          break;
        case 'createFeed':
          expect(out).toBe(r['feedId']);
          break;
        case 'createReport':
          expect(out).toBe(r['reportId']);
          break;
        case 'searchOrders':
          expect(out.orders).toEqual(r['orders']);
          expect(out.nextToken).toBe(r['pagination']?.['nextToken']);
          expect(out.createdBefore).toBe(r['createdBefore']);
          break;
        case 'getOrder':
          expect(out).toEqual(r['order']);
          break;
        case 'getMarketplaceParticipations':
          expect(out).toEqual(r['payload']);
          break;
        default:
          expect(out).toEqual(r);
      }
    });
  });
});
