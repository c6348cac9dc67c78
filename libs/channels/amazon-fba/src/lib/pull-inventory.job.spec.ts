// Test-only dependency on the SP-API sandbox (an independent stand-in for Amazon).
import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { RateLimiter, SpApiClient } from '@invsync/amazon-spapi';
import type { ChannelInstance, JobRunContext, ListingReporter, RemoteQuantity } from '@invsync/plugin-api';
import { pullInventoryJob } from './pull-inventory.job';
import type { AmazonFbaSettings } from './settings';
import { SpApiClientCache } from './sp-api-clients';

const UK = 'A1F83G8C2ARO7P';
const DE = 'A1PA6795UKMFR9';
const creds = { clientId: 'cid-job', clientSecret: 'cs-job-secret', refreshToken: 'rt-job-secret' };
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('pull-inventory job', () => {
  let sb: AmazonSandbox;
  const stored: { channelId: string; quantities: RemoteQuantity[] }[] = [];
  const reporter: ListingReporter = {
    async recordRemoteQuantities(channelId, pages) {
      const quantities = Array.isArray(pages) ? pages : [];
      stored.push({ channelId, quantities });
      return { stored: quantities.length, readAt: new Date().toISOString() };
    },
  };
  const clients = () =>
    new SpApiClientCache(
      (s) => new SpApiClient({ sellerId: s.sellerId, region: s.region, credentials: s.credentials, spApiEndpoint: s.spApiEndpoint, lwaEndpoint: s.lwaEndpoint, rateLimiter: new RateLimiter(), retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } }),
      silent,
    );
  const channel = (id: string, over: Partial<AmazonFbaSettings> = {}): ChannelInstance<AmazonFbaSettings> => ({
    id,
    name: id,
    type: 'amazon-fba',
    settings: { sellerId: 'SJOB', region: 'EU', marketplaceId: UK, credentials: creds, spApiEndpoint: sb.url, lwaEndpoint: `${sb.url}/auth/o2/token`, ...over },
  });
  const run = (channels: ChannelInstance<object>[]) => {
    const progress: [number, number | undefined][] = [];
    const ctx: JobRunContext = { signal: new AbortController().signal, logger: silent, channels: async () => channels, progress: (d, t) => void progress.push([d, t]) };
    return { result: pullInventoryJob(reporter, clients())(ctx), progress };
  };

  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, rateLimits: 'off', inventoryPageSize: 2 });
    sb.admin.seedSellers({ sellerId: 'SJOB', regions: ['EU'], ...creds });
    sb.admin.seedFba([
      { sellerId: 'SJOB', marketplaceId: UK, sku: 'A', fulfillable: 1 },
      { sellerId: 'SJOB', marketplaceId: UK, sku: 'B', fulfillable: 2 },
      { sellerId: 'SJOB', marketplaceId: UK, sku: 'C', fulfillable: 3 },
      { sellerId: 'SJOB', marketplaceId: DE, sku: 'D', fulfillable: 4 },
    ]);
  });
  afterAll(() => sb?.close());
  beforeEach(() => void (stored.length = 0));

  it('reads each channel completely and stores it once, per channel', async () => {
    const { result, progress } = run([channel('uk'), channel('de', { marketplaceId: DE })]);
    expect(await result).toEqual({ channels: 2, skus: 4, stored: 4, pages: 3, restarts: 0, failed: [] });
    expect(stored.map((s) => [s.channelId, s.quantities.map((q) => `${q.sku}=${q.quantity}`)])).toEqual([
      ['uk', ['A=1', 'B=2', 'C=3']],
      ['de', ['D=4']],
    ]);
    expect(progress.at(-1)).toEqual([2, 2]);
  });

  it("one channel's failure does not stop the others; the run fails when every channel fails", async () => {
    const bad = channel('bad', { credentials: { ...creds, refreshToken: 'wrong' } });
    const partial = await run([bad, channel('uk')]).result;
    expect(partial).toMatchObject({ channels: 2, skus: 3, failed: [{ channelId: 'bad' }] });
    expect(stored.map((s) => s.channelId)).toEqual(['uk']);
    await expect(run([bad]).result).rejects.toThrow(/every amazon-fba channel failed/);
  });
});
