import { type ChannelConnector, type ChannelInstance, jitteredBackoffMs, type PluginLogger, type QuantityBatch, type QuantityResult } from '@invsync/plugin-api';
import { randomUUID } from 'node:crypto';
import { SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './signature';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_MS, type WebhookSettings } from './webhook-settings';

export const DELIVERY_HEADER = 'X-Invsync-Delivery';
const USER_AGENT = 'invsync-webhook/1.0';
const EXCERPT = 300;

/** The JSON body of each POST. */
export interface WebhookBody {
  channelId: string;
  /** When the batch was first sent (ISO 8601); retries of the batch keep it. */
  sentAt: string;
  updates: { updateId: string; sku: string; marketplaceIds: string[]; quantity: number }[];
}

/** One per-listing result a receiver may return. */
export interface WebhookResultEntry {
  updateId: string;
  status: 'synced' | 'rejected' | 'retry';
  message?: string;
}

/** What a receiver may answer with a 2xx; any other 2xx body means "all synced". */
export interface WebhookResponse {
  results: WebhookResultEntry[];
}

export interface WebhookConnectorOptions {
  /** First backoff delay between attempts; doubles each attempt (with jitter). */
  baseDelayMs?: number;
  /** Longest wait between attempts; a longer Retry-After is left to the host's retry. */
  maxDelayMs?: number;
  random?: () => number;
  now?: () => Date;
}

type Attempt =
  | { kind: 'answered'; results: ReceivedResult[] | undefined }
  | { kind: 'refused'; message: string }
  | { kind: 'temporary'; message: string; retryAfterMs?: number };

/**
 * Sends each batch as one signed POST. 2xx: the receiver's per-listing results when it gives them,
 * otherwise every update synced. 4xx other than 408/429: the batch is refused (re-sending the same
 * request cannot fix a bad signature or a bad URL). Anything else (5xx, 408, 429, timeouts, network
 * errors, redirects) is retried here with exponential backoff and jitter up to maxAttempts, then left
 * to the host's retry with the last answer as the message.
 */
export function createWebhookConnector(channel: ChannelInstance<WebhookSettings>, logger: PluginLogger, options: WebhookConnectorOptions = {}): ChannelConnector {
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? (() => new Date());

  return {
    async pushQuantities(batch: QuantityBatch): Promise<QuantityResult[]> {
      const settings = channel.settings;
      const maxAttempts = settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const payload: WebhookBody = {
        channelId: channel.id,
        sentAt: now().toISOString(),
        updates: batch.updates.map((u) => ({ updateId: u.updateId, sku: u.sku, marketplaceIds: u.marketplaceIds, quantity: u.quantity })),
      };
      const body = JSON.stringify(payload);
      // Same id on every attempt of this batch, so a receiver can drop a duplicate it already applied.
      const deliveryId = randomUUID();
      const all = (status: 'rejected' | 'retry', message: string, retryAfterMs?: number): QuantityResult[] =>
        batch.updates.map((u) => ({ updateId: u.updateId, status, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }));

      for (let attempt = 1; ; attempt++) {
        const result = await post(settings.url, settings.secret, body, deliveryId, timeoutMs, batch.signal, now);
        if (result.kind === 'answered') return matchResults(batch, result.results);
        if (result.kind === 'refused') {
          logger.warn('webhook receiver refused a batch', { channelId: channel.id, updates: batch.updates.length, message: result.message });
          return all('rejected', result.message);
        }
        if (batch.signal.aborted) return all('retry', 'not sent: the host is shutting down');
        const wait = Math.max(jitteredBackoffMs(attempt, baseDelayMs, maxDelayMs, random), result.retryAfterMs ?? 0);
        if (attempt >= maxAttempts || wait > maxDelayMs) {
          logger.warn('webhook delivery failed; the host will retry', { channelId: channel.id, attempts: attempt, message: result.message });
          return all('retry', `${result.message} (after ${attempt} attempt${attempt > 1 ? 's' : ''})`, result.retryAfterMs);
        }
        logger.debug('webhook delivery failed; retrying', { channelId: channel.id, attempt, waitMs: Math.round(wait), message: result.message });
        await sleep(wait, batch.signal);
      }
    },
  };
}

/** One signed POST (fresh timestamp and signature per attempt), classified. */
async function post(url: string, secret: string, body: string, deliveryId: string, timeoutMs: number, hostSignal: AbortSignal, now: () => Date): Promise<Attempt> {
  const timestamp = Math.floor(now().getTime() / 1000);
  // A plain timer and controller rather than AbortSignal.any + AbortSignal.timeout: on Node 20 the
  // timeout signal, only weakly held by the combined one, can be collected and then never fires.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => ((timedOut = true), controller.abort()), timeoutMs);
  const onHostAbort = () => controller.abort();
  if (hostSignal.aborted) controller.abort();
  else hostSignal.addEventListener('abort', onHostAbort, { once: true });
  const signal = controller.signal;
  let status: number;
  let text: string;
  let headers: Headers;
  try {
    const res = await fetch(url, {
      method: 'POST',
      // A redirect is not followed: re-POSTing a signed batch somewhere else is not ours to decide.
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signPayload(secret, timestamp, body),
        [DELIVERY_HEADER]: deliveryId,
      },
      body,
      signal,
    });
    status = res.status;
    headers = res.headers;
    text = await res.text();
  } catch (e) {
    if (hostSignal.aborted) return { kind: 'temporary', message: 'not sent: the host is shutting down' };
    if (timedOut) return { kind: 'temporary', message: `the receiver did not answer within ${timeoutMs} ms` };
    return { kind: 'temporary', message: `could not reach the receiver: ${describeError(e)}` };
  } finally {
    clearTimeout(timer);
    hostSignal.removeEventListener('abort', onHostAbort);
  }

  if (status >= 200 && status < 300) return { kind: 'answered', results: parseResults(text) };
  const excerpt = receiverMessage(text);
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { kind: 'refused', message: `the receiver refused the batch (HTTP ${status})${excerpt ? `: ${excerpt}` : ''}` };
  }
  const location = status >= 300 && status < 400 ? headers.get('location') : null;
  return {
    kind: 'temporary',
    message: `the receiver answered HTTP ${status}${location ? ` (redirect to ${location})` : ''}${excerpt ? `: ${excerpt}` : ''}`,
    retryAfterMs: retryAfter(headers.get('retry-after'), now),
  };
}

/** A per-listing result as received: nothing about it is trusted yet. */
interface ReceivedResult {
  updateId: string;
  status?: unknown;
  message?: unknown;
}

/** The per-listing results when the body is `{ "results": [...] }`; undefined for any other body. */
function parseResults(text: string): ReceivedResult[] | undefined {
  let json: unknown;
  try {
    json = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
  const results = (json as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results)) return undefined;
  return results.filter((r): r is ReceivedResult => typeof r === 'object' && r !== null && typeof (r as ReceivedResult).updateId === 'string');
}

/** One result per update, in the batch's order: all synced when the receiver gave no results. */
function matchResults(batch: QuantityBatch, given: ReceivedResult[] | undefined): QuantityResult[] {
  if (!given) return batch.updates.map((u) => ({ updateId: u.updateId, status: 'synced' }));
  const byId = new Map(given.map((r) => [r.updateId, r]));
  return batch.updates.map((u): QuantityResult => {
    const r = byId.get(u.updateId);
    const message = typeof r?.message === 'string' && r.message.trim() ? r.message.slice(0, EXCERPT) : undefined;
    if (!r) {
      // The receiver listed results but not this one: it did not say it applied it.
      return { updateId: u.updateId, status: 'retry', message: 'the receiver returned results without this update' };
    }
    switch (r.status) {
      case 'synced':
        return { updateId: u.updateId, status: 'synced' };
      case 'rejected':
        return { updateId: u.updateId, status: 'rejected', message: message ?? 'rejected by the receiver' };
      case 'retry':
        return { updateId: u.updateId, status: 'retry', message: message ?? 'the receiver asked to retry' };
      default:
        return { updateId: u.updateId, status: 'retry', message: `the receiver returned an unknown status "${String(r.status).slice(0, 40)}"` };
    }
  });
}

/** The receiver's `message` or `error` field when it answers JSON, else the start of its body. */
function receiverMessage(text: string): string {
  try {
    const json = JSON.parse(text) as { message?: unknown; error?: unknown };
    const m = typeof json?.message === 'string' ? json.message : typeof json?.error === 'string' ? json.error : undefined;
    if (m) return m.slice(0, EXCERPT);
  } catch {
    // not JSON: fall through to the text
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT ? `${flat.slice(0, EXCERPT)}...` : flat;
}

function retryAfter(value: string | null, now: () => Date): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now().getTime());
}

function describeError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (e as Error)?.message ?? String(e);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
