import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { inventoryApi } from './inventory-api';
import { runJob } from './job-runs';
import { startHost, type TestHost, waitFor } from './test-host';

/**
 * The amazon-mfn plugin end to end: the real host (HTTP, SQLite or PostgreSQL, dispatcher, jobs) and
 * the SP-API sandbox as two HTTP servers, shared by the tests of one spec file. Every test uses its own
 * seller, so Amazon's per-seller rate limits (enforced by the sandbox and paced by the client) never
 * couple two tests.
 */
export const UK = 'A1F83G8C2ARO7P';
export const DE = 'A1PA6795UKMFR9';
export const US = 'ATVPDKIKX0DER';
export const WINDOW = 200;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Live = { listingId: string; sku: string; quantity: number | null; status: string; lastError: string | null };
export type Run = { id: string; status: string; summary: Record<string, unknown> | null; error: string | null };
export type Seller = { sellerId: string; credentials: { clientId: string; clientSecret: string; refreshToken: string } };

export interface AmazonMfnE2e {
  sb: AmazonSandbox;
  host: TestHost;
  inv: ReturnType<typeof inventoryApi>;
  w1: { id: string };
  w2: { id: string };
  /** Every response body the tests saw, to check that no credential ever comes back. */
  bodies: string[];
  secrets: string[];
  /** How many sellers were made so far. */
  sellerSeq: number;
  /** A seller on the sandbox with its own credentials. */
  seller(regions?: Array<'EU' | 'NA'>): Seller;
  channel(s: { sellerId: string; credentials: object }, marketplaceId?: string, extra?: Record<string, unknown>): Promise<{ id: string; quantityPool: string; settings: Record<string, unknown> }>;
  shown(sellerId: string, sku: string): { quantity: number | null; leadTimeToShipMaxDays: number | null } | undefined;
  waitShown(sellerId: string, sku: string, quantity: number, timeoutMs?: number): Promise<unknown>;
  calls(sellerId: string, operation: string, afterSeq?: number): ReturnType<AmazonSandbox['admin']['calls']>;
  lastSeq(): number;
  live(channelId: string): Promise<Live[]>;
  /** Waits until every listing of the channel is synced or shows an error (none left pending or sent). */
  settled(channelId: string, timeoutMs?: number): Promise<Live[]>;
  runJob(name: string): Promise<Run>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onHand(productId: string): Promise<any>;
}

/**
 * Starts the sandbox and the host around the spec file's tests (beforeAll / afterAll) and gives its
 * helpers; `env` overrides the host's (e.g. a longer SYNC_WINDOW_MS).
 */
export function amazonMfnE2e(env: Record<string, string> = {}): AmazonMfnE2e {
  const e = { bodies: [] as string[], secrets: [] as string[], sellerSeq: 0 } as AmazonMfnE2e;

  beforeAll(async () => {
    e.sb = await startAmazonSandbox({ port: 0, feedProcessingDelayMs: 150, reportProcessingDelayMs: 50 });
    e.host = await startHost({
      plugins: [amazonMfnPlugin],
      env: {
        SCHEDULER: 'off',
        SYNC_WINDOW_MS: String(WINDOW),
        SYNC_TICK_MS: '50',
        SYNC_CONFIRM_INTERVAL_MS: '200',
        SYNC_RETRY_BASE_MS: '200',
        SYNC_RETRY_CAP_MS: '1000',
        ...env,
      },
    });
    e.inv = inventoryApi(e.host);
    e.w1 = await e.inv.warehouse('MAIN');
    e.w2 = await e.inv.warehouse('SECOND');
  });
  afterAll(async () => {
    await e.host?.close();
    await e.sb?.close();
  });

  e.seller = (regions = ['EU', 'NA']) => {
    const sellerId = `A${++e.sellerSeq}SELLER${Date.now() % 10000}`;
    const credentials = { clientId: `amzn1.application-oa2-client.${sellerId}`, clientSecret: `cs-${sellerId}-0123456789abcdef`, refreshToken: `Atzr|rt-${sellerId}-0123456789abcdef` };
    e.sb.admin.seedSellers({ sellerId, regions, ...credentials });
    e.secrets.push(credentials.clientSecret, credentials.refreshToken);
    return { sellerId, credentials };
  };

  e.channel = async (s, marketplaceId = UK, extra = {}) => {
    const res = await e.host
      .api()
      .post('/api/v1/channels')
      .send({
        type: 'amazon-mfn',
        name: `Amazon ${marketplaceId} ${s.sellerId}`,
        settings: {
          sellerId: s.sellerId,
          region: marketplaceId === US ? 'NA' : 'EU',
          marketplaceId,
          credentials: s.credentials,
          spApiEndpoint: e.sb.url,
          lwaEndpoint: `${e.sb.url}/auth/o2/token`,
          syncInventory: true,
          onHandWarehouseIds: [e.w1.id],
          allocationWarehouseId: e.w1.id,
          ...extra,
        },
      });
    e.bodies.push(res.text);
    if (res.status !== 201) throw new Error(`channel refused: ${res.status} ${res.text}`);
    return res.body;
  };

  e.shown = (sellerId, sku) => e.sb.admin.quantities({ sellerId, sku })[0] as { quantity: number | null; leadTimeToShipMaxDays: number | null } | undefined;
  e.waitShown = (sellerId, sku, quantity, timeoutMs = 15_000) =>
    waitFor(async () => e.shown(sellerId, sku)?.quantity === quantity, timeoutMs).catch(() => {
      throw new Error(`sandbox shows ${JSON.stringify(e.shown(sellerId, sku))} for ${sku}, expected ${quantity}`);
    });
  e.calls = (sellerId, operation, afterSeq = 0) => e.sb.admin.calls({ sellerId, operation, afterSeq });
  e.lastSeq = () => e.sb.state.calls.at(-1)?.seq ?? 0;

  e.live = async (channelId) => {
    const out: Live[] = [];
    let cursor: string | null = null;
    do {
      const path = `/api/v1/channels/${channelId}/live-listings?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res: { text: string; body: { items: Live[]; nextCursor: string | null } } = await e.host.api().get(path).expect(200);
      e.bodies.push(res.text);
      out.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  };

  e.settled = async (channelId, timeoutMs = 30_000) => {
    let last: Live[] = [];
    try {
      return await waitFor(async () => {
        last = await e.live(channelId);
        // An error that is being retried ("will retry", "sent again") is not an end state.
        return last.length > 0 && last.every((l) => l.status === 'synced' || (l.status === 'error' && !/will retry|sent again/.test(l.lastError ?? ''))) && last;
      }, timeoutMs, 100);
    } catch (err) {
      // What the host warned about meanwhile says why a listing never left pending (a stuck pass, a refused send).
      const warnings = e.host.logs.filter((l) => /"level":"(warn|error)"/.test(l)).slice(-10);
      throw new Error(`${(err as Error).message}; live listings: ${JSON.stringify(last.filter((l) => l.status !== 'synced').slice(0, 5))}; the host's last warnings: ${warnings.join('\n') || 'none'}`);
    }
  };

  e.runJob = async (name) => {
    const run = await runJob(e.host, name);
    e.bodies.push(JSON.stringify(run));
    return run;
  };

  e.onHand = async (productId) => (await e.host.api().get(`/api/v1/products/${productId}/inventory`).expect(200)).body;
  return e;
}

/** The last test of every amazon-mfn spec file: nothing the file's tests saw carries a credential or token. */
export function itShowsNoCredential(e: AmazonMfnE2e): void {
  it('never shows a credential or an access token in a response or a log line', async () => {
    const channels = await e.host.api().get('/api/v1/channels').expect(200);
    e.bodies.push(channels.text);
    const tokens = [...e.sb.state.accessTokens.keys()];
    expect(tokens.length).toBeGreaterThan(0);
    const everything = [...e.bodies, ...e.host.logs].join('\n');
    expect(e.host.logs.length).toBeGreaterThan(0);
    for (const secret of [...e.secrets, ...tokens]) expect(everything).not.toContain(secret);
  });
}
