import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHost, TEST_TOKEN } from './support/test-host';

/**
 * How the host serves the admin console (its static files at `/`), without a browser: the app and
 * its routes from the host's origin, the host's own paths untouched, and a host without a built
 * console still starting and saying how to build it.
 */
describe('the admin console served by the host', () => {
  it('without a built console: starts, says so in a log line, and / answers how to build it; the API is unaffected', async () => {
    // Under jest nothing is found beside the entry script, and CONSOLE_DIR is not set.
    const host = await startHost();
    try {
      expect(host.logs.some((l) => /Admin console not built/.test(l))).toBe(true);
      const root = await host.anon().get('/').expect(404);
      expect(root.body).toMatchObject({ statusCode: 404, message: expect.stringMatching(/nx build console/) });
      await host.anon().get('/channels').expect(404);
      await host.api().get('/api/v1/plugins').expect(200);
    } finally {
      await host.close();
    }
  });

  it('serves the files and the app for console routes; /api, /docs, /health and /metrics keep their answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invsync-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/assets/app-1234.js"></script>');
    writeFileSync(join(dir, 'assets/app-1234.js'), 'console.log(1)');
    const host = await startHost({ env: { CONSOLE_DIR: dir } });
    try {
      expect(host.logs.some((l) => /Admin console served at \//.test(l))).toBe(true);
      for (const path of ['/', '/channels', '/channels/abc/live-listings', '/orders?status=parked']) {
        const res = await host.anon().get(path).expect(200);
        expect([path, res.headers['content-type'], res.text]).toEqual([path, expect.stringMatching(/^text\/html/), expect.stringContaining('<title>console</title>')]);
        // The host's helmet CSP: only this origin's scripts.
        expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
        // Served over plain HTTP on a LAN address, an upgrade would send the console's files to https.
        expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
      }
      const asset = await host.anon().get('/assets/app-1234.js').expect(200);
      expect(asset.headers['cache-control']).toMatch(/immutable/);
      await host.anon().get('/assets/missing-5678.js').expect(404);
      // The host's paths: the API's JSON 404 and 401, the docs, health and metrics.
      const unknown = await host.api().get('/api/v1/no-such-route').expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404 });
      await host.anon().get('/api/v1/channels').expect(401);
      await host.anon().get('/api').expect(404);
      expect((await host.anon().get('/docs-json').expect(200)).body.openapi).toBeDefined();
      expect((await host.anon().get('/health').expect(200)).body.status).toBe('ok');
      await host.anon().get('/metrics').expect(401);
      await host.anon().get('/metrics').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200);
      // Only GET and HEAD: other methods outside the API keep the host's 404.
      await host.anon().post('/channels').send({}).expect(404);
    } finally {
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
