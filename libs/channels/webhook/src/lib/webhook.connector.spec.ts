import type { ChannelInstance, PluginLogger, QuantityBatch, QuantityUpdate } from '@invsync/plugin-api';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWebhookConnector, type WebhookBody, type WebhookConnectorOptions } from './webhook.connector';
import type { WebhookSettings } from './webhook-settings';

interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: WebhookBody;
}
type Handler = (req: Received, res: ServerResponse, n: number) => void;

/** A receiver on 127.0.0.1 answering with the handlers in turn (the last one repeats). */
async function receiver(...handlers: Handler[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf-8');
      const r = { headers: req.headers, raw, body: JSON.parse(raw) as WebhookBody };
      received.push(r);
      handlers[Math.min(received.length, handlers.length) - 1](r, res, received.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/stock`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_r, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const text = (status: number, body: string, headers: Record<string, string> = {}): Handler => (_r, res) => {
  res.writeHead(status, headers);
  res.end(body);
};

const SECRET = 'whsec-0123456789abcdef';
const logs: string[] = [];
const log = (m: string, fields?: Record<string, unknown>) => void logs.push(`${m} ${JSON.stringify(fields ?? {})}`);
const logger: PluginLogger = { debug: log, info: log, warn: log, error: log };
const FAST: WebhookConnectorOptions = { baseDelayMs: 5, maxDelayMs: 50 };

function push(url: string, updates: QuantityUpdate[], extra: Partial<WebhookSettings> = {}, options: WebhookConnectorOptions = FAST, signal = new AbortController().signal) {
  const channel: ChannelInstance<WebhookSettings> = { id: 'chan-1', name: 'ERP', type: 'webhook', settings: { url, secret: SECRET, ...extra } };
  const batch: QuantityBatch = { channel, updates, signal };
  return createWebhookConnector(channel, logger, options).pushQuantities!(batch);
}

const updates: QuantityUpdate[] = [
  { updateId: 'u1', sku: 'A-1', marketplaceIds: ['default'], quantity: 3 },
  { updateId: 'u2', sku: 'B/2 #x', marketplaceIds: ['default'], quantity: 0 },
];

describe('webhook connector against a local receiver', () => {
  const open: { close(): Promise<void> }[] = [];
  const start = async (...h: Handler[]) => {
    const r = await receiver(...h);
    open.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });

  it('POSTs the batch as JSON with a timestamp and a signature the receiver verifies with the secret; 2xx = all synced', async () => {
    const r = await start(text(204, ''));
    const before = Math.floor(Date.now() / 1000);
    const results = await push(r.url, updates);
    expect(results).toEqual([
      { updateId: 'u1', status: 'synced' },
      { updateId: 'u2', status: 'synced' },
    ]);
    expect(r.received).toHaveLength(1);
    const [req] = r.received;
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({ channelId: 'chan-1', sentAt: expect.any(String), updates });
    expect(Date.parse(req.body.sentAt)).not.toBeNaN();
    const ts = req.headers['x-invsync-timestamp'] as string;
    expect(Number(ts)).toBeGreaterThanOrEqual(before);
    expect(Number(ts)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    // Verified the way the README tells receivers to, not with the plugin's own helper.
    expect(req.headers['x-invsync-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${req.raw}`).digest('hex')}`);
    expect(req.headers['x-invsync-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.raw).not.toContain(SECRET);
  });

  it("honours the receiver's per-listing results", async () => {
    const r = await start(
      json(200, {
        results: [
          { updateId: 'u1', status: 'synced' },
          { updateId: 'u2', status: 'rejected', message: 'unknown SKU B/2 #x' },
          { updateId: 'u3', status: 'retry', message: 'locked, try later' },
          { updateId: 'u4', status: 'done' },
          { updateId: 'u5', status: 'rejected' },
          { status: 'synced' },
        ],
      }),
    );
    const more = [...updates, ...['u3', 'u4', 'u5', 'u6'].map((id, i) => ({ updateId: id, sku: `S-${i}`, marketplaceIds: ['default'], quantity: i }))];
    expect(await push(r.url, more)).toEqual([
      { updateId: 'u1', status: 'synced' },
      { updateId: 'u2', status: 'rejected', message: 'unknown SKU B/2 #x' },
      { updateId: 'u3', status: 'retry', message: 'locked, try later' },
      { updateId: 'u4', status: 'retry', message: 'the receiver returned an unknown status "done"' },
      { updateId: 'u5', status: 'rejected', message: 'rejected by the receiver' },
      { updateId: 'u6', status: 'retry', message: 'the receiver returned results without this update' },
    ]);
  });

  it('a 2xx body without a results list means every update synced', async () => {
    for (const h of [json(200, { ok: true }), text(200, 'thanks'), json(202, { results: 'all good' })]) {
      const r = await start(h);
      expect((await push(r.url, updates)).map((x) => x.status)).toEqual(['synced', 'synced']);
    }
  });

  it('retries a 500 inside the push, re-signed, with the same body and delivery id, and lands', async () => {
    const r = await start(text(500, 'database down'), text(200, ''));
    expect((await push(r.url, updates)).map((x) => x.status)).toEqual(['synced', 'synced']);
    expect(r.received).toHaveLength(2);
    expect(r.received[1].raw).toBe(r.received[0].raw);
    expect(r.received[1].headers['x-invsync-delivery']).toBe(r.received[0].headers['x-invsync-delivery']);
    for (const req of r.received) {
      const ts = req.headers['x-invsync-timestamp'] as string;
      expect(req.headers['x-invsync-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${ts}.${req.raw}`).digest('hex')}`);
    }
  });

  it('after maxAttempts failures leaves the batch to the host as retry, with the status and an excerpt of the body', async () => {
    const r = await start(text(503, `<html>${'overloaded '.repeat(100)}</html>`));
    logs.length = 0;
    const results = await push(r.url, updates, { maxAttempts: 4 });
    expect(logs.filter((l) => l.startsWith('webhook delivery failed; the host will retry'))).toHaveLength(1);
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(r.received).toHaveLength(4);
    expect(results.map((x) => x.status)).toEqual(['retry', 'retry']);
    expect(results[0].message).toMatch(/^the receiver answered HTTP 503: <html>overloaded overloaded .*\.\.\. \(after 4 attempts\)$/);
    expect(results[0].message!.length).toBeLessThan(400);
  });

  it('408 and 429 are retried too; a Retry-After longer than the backoff cap is left to the host', async () => {
    const r = await start(text(408, 'slow'), text(429, 'slow down'), text(200, ''));
    expect((await push(r.url, updates, { maxAttempts: 3 })).map((x) => x.status)).toEqual(['synced', 'synced']);
    expect(r.received).toHaveLength(3);

    const later = await start(json(429, { message: 'rate limited' }, { 'retry-after': '120' }));
    const results = await push(later.url, updates, { maxAttempts: 5 });
    expect(later.received).toHaveLength(1);
    expect(results[0]).toEqual({ updateId: 'u1', status: 'retry', message: 'the receiver answered HTTP 429: rate limited (after 1 attempt)', retryAfterMs: 120_000 });
  });

  it("other 4xx refuse the batch at once with the receiver's message", async () => {
    const r = await start(json(401, { error: 'invalid signature' }));
    const results = await push(r.url, updates, { maxAttempts: 5 });
    expect(r.received).toHaveLength(1);
    expect(results).toEqual([
      { updateId: 'u1', status: 'rejected', message: 'the receiver refused the batch (HTTP 401): invalid signature' },
      { updateId: 'u2', status: 'rejected', message: 'the receiver refused the batch (HTTP 401): invalid signature' },
    ]);
    const gone = await start(text(404, ''));
    expect((await push(gone.url, updates))[0].message).toBe('the receiver refused the batch (HTTP 404)');
  });

  it('a redirect is not followed but retried, naming where it points', async () => {
    const r = await start(text(302, '', { location: 'https://elsewhere.example.test/' }));
    const results = await push(r.url, updates, { maxAttempts: 2 });
    expect(r.received).toHaveLength(2);
    expect(results[0].message).toBe('the receiver answered HTTP 302 (redirect to https://elsewhere.example.test/) (after 2 attempts)');
  });

  it('a receiver that does not answer in time, or cannot be reached, is retried then left to the host', async () => {
    // Never answers. (How many requests it saw is not asserted: receiver and client share this
    // event loop, so on a busy machine a request can be aborted before the receiver reads it.)
    const slow = await start(() => undefined);
    const results = await push(slow.url, updates, { maxAttempts: 2, timeoutMs: 200 });
    expect(results[0]).toMatchObject({ status: 'retry', message: 'the receiver did not answer within 200 ms (after 2 attempts)' });

    const gone = await start(text(200, ''));
    const url = gone.url;
    await open.pop()!.close();
    const unreachable = await push(url, updates, { maxAttempts: 2 });
    expect(unreachable[0]).toMatchObject({ status: 'retry', message: 'could not reach the receiver: ECONNREFUSED (after 2 attempts)' });
  });

  it('stops waiting between attempts when the host shuts down', async () => {
    const r = await start(text(500, 'down'));
    const abort = new AbortController();
    const started = Date.now();
    const pending = push(r.url, updates, { maxAttempts: 10 }, { baseDelayMs: 60_000, maxDelayMs: 60_000 }, abort.signal);
    setTimeout(() => abort.abort(), 100);
    const results = await pending;
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(results[0]).toMatchObject({ status: 'retry', message: 'not sent: the host is shutting down' });
    expect(r.received).toHaveLength(1);
  });
});
