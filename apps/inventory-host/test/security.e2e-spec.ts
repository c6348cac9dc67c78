import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { startAmazonSandbox, type AmazonSandbox } from '@invsync/amazon-sandbox';
import { ChannelEntity } from '@invsync/domain-channels';
import { DataSource } from 'typeorm';
import { isEnvelope, SecretBox, type Envelope } from '../src/channels/secret-box';
import { inventoryApi } from './support/inventory-api';
import { createThrowawaySchema } from './support/postgres';
import { startHost, TEST_DB, TEST_SECRETS_KEY, type TestHost, waitFor } from './support/test-host';

/**
 * Security of the admin API and of stored credentials: no route answers without the token,
 * credentials never leave the host (responses, logs, database file), the API is rate limited, the
 * security headers are set, and a SECRETS_KEY rotation re-encrypts what is stored.
 */
const UK = 'A1F83G8C2ARO7P';
const NEW_KEY = 'ab'.repeat(32);
const OTHER_KEY = 'cd'.repeat(32);
const keyOf = (hex: string) => Buffer.from(hex, 'hex');

type OpenApi = { paths: Record<string, Record<string, unknown>> };

/** Every (method, path) of the admin API as the OpenAPI document lists it: new routes are covered without editing this test. */
async function adminRoutes(host: TestHost): Promise<{ method: string; path: string }[]> {
  const doc = (await host.anon().get('/docs-json').expect(200)).body as OpenApi;
  const out: { method: string; path: string }[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const method of Object.keys(ops)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push({ method, path });
  }
  return out;
}

const fill = (path: string, id: string) => path.replace(/\{[^}]+\}/g, id);

async function storedSettings(host: TestHost): Promise<{ id: string; settings: Record<string, unknown> }[]> {
  const rows = await host.app.get(DataSource).getRepository(ChannelEntity).find();
  return rows.map((r) => ({ id: r.id, settings: JSON.parse(r.pluginSettings) as Record<string, unknown> }));
}

const envelopes = (settings: Record<string, unknown>) => Object.values(settings).filter(isEnvelope) as Envelope[];

describe('security', () => {
  let sb: AmazonSandbox;
  let sellerSeq = 0;
  beforeAll(async () => {
    sb = await startAmazonSandbox({ port: 0, feedProcessingDelayMs: 50, reportProcessingDelayMs: 20 });
  });
  afterAll(async () => sb?.close());

  function seller() {
    const sellerId = `A${++sellerSeq}SEC${Date.now() % 100000}`;
    const credentials = {
      clientId: `amzn1.application-oa2-client.${sellerId}`,
      clientSecret: `cs-SECRET-${sellerId}-0123456789abcdef`,
      refreshToken: `Atzr|RT-SECRET-${sellerId}-0123456789abcdef`,
    };
    sb.admin.seedSellers({ sellerId, regions: ['EU'], ...credentials });
    return { sellerId, credentials };
  }

  function channelBody(s: ReturnType<typeof seller>, warehouseId: string) {
    return {
      type: 'amazon-mfn',
      name: `Amazon ${s.sellerId}`,
      settings: {
        sellerId: s.sellerId,
        region: 'EU',
        marketplaceId: UK,
        credentials: s.credentials,
        spApiEndpoint: sb.url,
        lwaEndpoint: `${sb.url}/auth/o2/token`,
        syncInventory: true,
        onHandWarehouseIds: [warehouseId],
        allocationWarehouseId: warehouseId,
      },
    };
  }

  const fastSync = { SCHEDULER: 'off', SYNC_WINDOW_MS: '50', SYNC_TICK_MS: '50', SYNC_CONFIRM_INTERVAL_MS: '100', SYNC_RETRY_BASE_MS: '100', SYNC_RETRY_CAP_MS: '500' };

  describe('one host with a connected Amazon channel', () => {
    let host: TestHost;
    let s: ReturnType<typeof seller>;
    let channelId: string;
    let listingId: string;
    let productId: string;
    const bodies: string[] = [];

    beforeAll(async () => {
      host = await startHost({ plugins: [amazonMfnPlugin], env: fastSync });
      const inv = inventoryApi(host);
      const w = await inv.warehouse();
      const p = await inv.product('SEC-SKU-1');
      productId = p.id;
      s = seller();
      sb.admin.seedListings({ sellerId: s.sellerId, marketplaceId: UK, sku: 'SEC-SKU-1', fulfillmentChannel: 'MFN', quantity: 0 });
      const created = await host.api().post('/api/v1/channels').send(channelBody(s, w.id));
      bodies.push(created.text);
      expect(created.status).toBe(201);
      channelId = created.body.id;
      const l = await inv.connect(channelId, 'SEC-SKU-1', p.id);
      listingId = l.id;
      await inv.move(p.id, w.id, 7);
      // The credentials are used for real (token exchange, patch), so the logs have had every chance to show them.
      await waitFor(async () => sb.admin.quantities({ sellerId: s.sellerId, sku: 'SEC-SKU-1' })[0]?.quantity === 7, 15_000);
      const health = await host.api().post(`/api/v1/channels/${channelId}/health-check`);
      bodies.push(health.text);
      expect(health.status).toBeLessThan(300);
    });
    afterAll(async () => host?.close());

    it('every /api/v1 route answers 401 without a token, with a wrong token and with a malformed header', async () => {
      const routes = await adminRoutes(host);
      expect(routes.length).toBeGreaterThan(20);
      const ids = [channelId, '00000000-0000-4000-8000-000000000000'];
      for (const { method, path } of routes) {
        for (const id of ids) {
          const url = fill(path, id);
          const req = (auth?: string) => {
            const r = (host.anon() as unknown as Record<string, (u: string) => import('supertest').Test>)[method](url);
            if (auth !== undefined) r.set('Authorization', auth);
            return r.send(method === 'get' || method === 'delete' ? undefined : { quantity: 1 });
          };
          for (const auth of [undefined, 'Bearer wrong-token-0123456789abcdef-xyz', 'Bearer ', 'Basic dGVzdDp0ZXN0', `Bearer ${'x'.repeat(5000)}`]) {
            const res = await req(auth);
            if (res.status !== 401) throw new Error(`${method.toUpperCase()} ${url} with ${auth ?? 'no'} authorization answered ${res.status}: ${res.text.slice(0, 200)}`);
            expect(res.body.message).toMatch(/admin token/);
          }
        }
      }
    });

    it('no response of any readable route shows a refresh token or client secret', async () => {
      const routes = (await adminRoutes(host)).filter((r) => r.method === 'get');
      for (const { path } of routes) {
        for (const id of [channelId, listingId, productId]) {
          const res = await host.api().get(fill(path, id));
          expect(res.status).toBeLessThan(500);
          bodies.push(res.text);
        }
      }
      const ch = await host.api().get(`/api/v1/channels/${channelId}`).expect(200);
      expect(ch.body.settings.credentials).toEqual({ set: true });
      const all = bodies.join('\n');
      expect(all).not.toContain(s.credentials.refreshToken);
      expect(all).not.toContain(s.credentials.clientSecret);
      expect(all).not.toContain('RT-SECRET');
      expect(all).not.toContain('cs-SECRET');
    });

    it('no log line shows a refresh token or client secret (debug level)', async () => {
      expect(host.logs.length).toBeGreaterThan(5);
      const logs = host.logs.join('\n');
      expect(logs).not.toContain('RT-SECRET');
      expect(logs).not.toContain('cs-SECRET');
    });

    it('the database holds the credentials only encrypted (SQLite: the file and its WAL, byte by byte)', async () => {
      const rows = await storedSettings(host);
      const mine = rows.find((r) => r.id === channelId)!;
      expect(isEnvelope(mine.settings['credentials'])).toBe(true);
      expect(JSON.stringify(rows)).not.toContain('SECRET');
      if (TEST_DB === 'sqlite') {
        const base = join(host.dir, 'inventory.sqlite');
        let seen = 0;
        for (const f of [base, `${base}-wal`, `${base}-journal`]) {
          if (!existsSync(f)) continue;
          const bytes = readFileSync(f);
          seen += bytes.length;
          for (const secret of [s.credentials.refreshToken, s.credentials.clientSecret, 'RT-SECRET', 'cs-SECRET']) {
            expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
            expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
          }
        }
        expect(seen).toBeGreaterThan(0);
      }
    });

    it('sets the important security headers on the API, the docs and /health', async () => {
      for (const res of [await host.anon().get('/health'), await host.api().get('/api/v1/plugins'), await host.anon().get('/api/v1/plugins')]) {
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
        expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
        expect(res.headers['referrer-policy']).toBe('no-referrer');
        expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(res.headers['x-powered-by']).toBeUndefined();
      }
    });
  });

  it('rate limits the admin API per client (429 past the limit, token guesses included) and never /health', async () => {
    const host = await startHost({ env: { SCHEDULER: 'off', ADMIN_RATE_LIMIT: '5', ADMIN_RATE_WINDOW_MS: '60000' } });
    try {
      // Guessing tokens spends the budget too: the limit applies before the token check.
      for (let i = 0; i < 3; i++) expect((await host.anon().get('/api/v1/plugins').set('Authorization', `Bearer guess-${i}`)).status).toBe(401);
      for (let i = 0; i < 2; i++) expect((await host.api().get('/api/v1/warehouses')).status).toBe(200);
      const limited = await host.api().get('/api/v1/plugins');
      expect(limited.status).toBe(429);
      expect(limited.body.message).toMatch(/Too many requests to the admin API/);
      expect(Object.keys(limited.headers).some((h) => h.startsWith('retry-after'))).toBe(true);
      expect((await host.api().post('/api/v1/warehouses').send({ code: 'LIMITED', name: 'x' })).status).toBe(429);
      const rows = (await host.app.get(DataSource).query('SELECT COUNT(*) AS n FROM warehouse')) as { n: number | string }[];
      expect(Number(rows[0].n)).toBe(0);
      for (let i = 0; i < 20; i++) expect((await host.anon().get('/health')).status).toBe(200);
    } finally {
      await host.close();
    }
  });

  it('the default limit is generous (hundreds of quick requests are served)', async () => {
    const host = await startHost({ env: { SCHEDULER: 'off' } });
    try {
      for (let i = 0; i < 300; i++) {
        const res = await host.api().get('/api/v1/plugins');
        if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
      }
    } finally {
      await host.close();
    }
  });

  it('secrets rotation: a new SECRETS_KEY with the old one in SECRETS_KEY_PREVIOUS re-encrypts every stored credential at start', async () => {
    const s1 = seller();
    const s2 = seller();
    // One data folder (and PostgreSQL schema) across four starts.
    const dir = mkdtempSync(join(tmpdir(), 'invsync-rotate-'));
    const schema = TEST_DB === 'postgres' ? await createThrowawaySchema('rotate') : undefined;
    let host = await startHost({ plugins: [amazonMfnPlugin], dir, schema, env: { SCHEDULER: 'off' } });
    try {
      const w = await inventoryApi(host).warehouse();
      const ids: string[] = [];
      for (const s of [s1, s2]) ids.push((await host.api().post('/api/v1/channels').send(channelBody(s, w.id)).expect(201)).body.id);
      const before = await storedSettings(host);
      const oldBox = new SecretBox(keyOf(TEST_SECRETS_KEY));
      for (const r of before) for (const e of envelopes(r.settings)) expect(oldBox.isCurrent(e)).toBe(true);
      const updatedAt = (await host.api().get(`/api/v1/channels/${ids[0]}`).expect(200)).body.updatedAt;
      await host.close();

      // Rotation start: new key, old key as previous.
      host = await startHost({ plugins: [amazonMfnPlugin], dir, schema, env: { SCHEDULER: 'off', SECRETS_KEY: NEW_KEY, SECRETS_KEY_PREVIOUS: TEST_SECRETS_KEY } });
      expect(host.logs.join('\n')).toMatch(/Secrets rotation: 2 channel\(s\) re-encrypted/);
      const after = await storedSettings(host);
      const onlyOld = new SecretBox(keyOf(TEST_SECRETS_KEY));
      const onlyNew = new SecretBox(keyOf(NEW_KEY));
      let count = 0;
      for (const r of after) {
        const was = before.find((b) => b.id === r.id)!;
        for (const [k, v] of Object.entries(r.settings)) {
          if (!isEnvelope(v)) continue;
          count++;
          expect(() => onlyOld.open(v)).toThrow(/cannot be decrypted/);
          expect(onlyNew.open(v)).toEqual(oldBox.open(was.settings[k] as Envelope));
        }
      }
      expect(count).toBe(2);
      // The channel's version is unchanged (nothing is resent because of a rotation).
      expect((await host.api().get(`/api/v1/channels/${ids[0]}`).expect(200)).body.updatedAt).toBe(updatedAt);
      await host.close();

      // The new key alone opens them: the channel works (its health check logs in to the sandbox).
      host = await startHost({ plugins: [amazonMfnPlugin], dir, schema, env: { SCHEDULER: 'off', SECRETS_KEY: NEW_KEY } });
      const ok = await host.api().post(`/api/v1/channels/${ids[0]}/health-check`);
      expect(ok.status).toBeLessThan(300);
      expect(ok.body.ok ?? ok.body.health?.ok).toBe(true);
      await host.close();

      // A mismatching key without SECRETS_KEY_PREVIOUS: the host starts, channel use fails with a clear message.
      host = await startHost({ plugins: [amazonMfnPlugin], dir, schema, env: { SCHEDULER: 'off', SECRETS_KEY: OTHER_KEY } });
      expect((await host.anon().get('/health')).status).toBe(200);
      const health = await host.api().post(`/api/v1/channels/${ids[0]}/health-check`);
      expect(health.status).toBeLessThan(500);
      expect(JSON.stringify(health.body)).toMatch(/cannot be decrypted with SECRETS_KEY/);
      const patch = await host.api().patch(`/api/v1/channels/${ids[0]}/settings`).send({ reserve: 1 });
      expect(patch.status).toBe(409);
      expect(patch.body.message).toMatch(/SECRETS_KEY_PREVIOUS/);
      expect(patch.body.rule).toBe('secrets-key-mismatch');
      // Giving the credentials again repairs the channel under the current key.
      const fixed = await host.api().patch(`/api/v1/channels/${ids[0]}/settings`).send({ credentials: s1.credentials });
      expect(fixed.status).toBe(200);
      const again = await host.api().post(`/api/v1/channels/${ids[0]}/health-check`);
      expect(again.body.ok ?? again.body.health?.ok).toBe(true);
    } finally {
      await host.close();
      await schema?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
