import { gunzipSync } from 'node:zlib';
import type { SpApiClientOptions } from './client-options';
import { ProcessingError } from './errors';
import { sleep } from './retry-policy';
import type { SpApiTransport } from './transport/sp-api-transport';

export interface PollOptions {
  pollIntervalMs?: number;
  /** First wait between polls, doubled after each poll up to `pollIntervalMs` (see the client option). */
  initialPollIntervalMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The processing states of feeds and reports after which nothing changes. */
export const TERMINAL_PROCESSING_STATUSES: ReadonlySet<string> = new Set(['DONE', 'CANCELLED', 'FATAL']);

/**
 * Feed and report documents (presigned URLs, outside SP-API's token and rate limits) and the
 * polling of a feed or report until Amazon has finished with it.
 */
export class SpApiDocuments {
  constructor(
    private readonly transport: SpApiTransport,
    private readonly defaults: Pick<SpApiClientOptions, 'pollIntervalMs' | 'initialPollIntervalMs' | 'pollTimeoutMs'> = {},
  ) {}

  /** PUT the feed content to the presigned URL createFeedDocument returned. */
  async upload(url: string, content: string | Buffer, contentType: string, signal?: AbortSignal): Promise<void> {
    await this.transport.presigned('uploadFeedDocument', (plain) => plain.put(url, content, { headers: { 'content-type': contentType }, signal, transformRequest: [(d) => d] }), signal);
  }

  /** Downloads a feed/report document, gunzipping it when `compressionAlgorithm` is GZIP. */
  async download(doc: { url: string; compressionAlgorithm?: string }, signal?: AbortSignal): Promise<string> {
    const res = await this.transport.presigned('downloadDocument', (plain) => plain.get<ArrayBuffer>(doc.url, { responseType: 'arraybuffer', signal, decompress: true }), signal);
    let bytes = Buffer.from(res.data);
    if (doc.compressionAlgorithm === 'GZIP' || (bytes[0] === 0x1f && bytes[1] === 0x8b)) bytes = gunzipSync(bytes);
    const contentType = String(res.headers['content-type'] ?? '');
    const charset = /charset=([^;]+)/i.exec(contentType)?.[1]?.trim().toLowerCase();
    const encoding = charset && !['utf-8', 'utf8'].includes(charset) ? charset : 'utf-8';
    try {
      return new TextDecoder(encoding).decode(bytes);
    } catch {
      return bytes.toString('utf8');
    }
  }

  /** Fetches until the processing status is terminal; the wait starts short and doubles up to the interval. */
  async pollUntilTerminal<T extends { processingStatus: string }>(label: string, fetch: () => Promise<T>, poll: PollOptions): Promise<T> {
    const interval = poll.pollIntervalMs ?? this.defaults.pollIntervalMs ?? 30_000;
    const timeout = poll.timeoutMs ?? this.defaults.pollTimeoutMs ?? 4 * 3600_000;
    let wait = Math.min(interval, poll.initialPollIntervalMs ?? this.defaults.initialPollIntervalMs ?? interval);
    const started = Date.now();
    for (;;) {
      const current = await fetch();
      if (TERMINAL_PROCESSING_STATUSES.has(current.processingStatus)) return current;
      if (Date.now() - started + wait > timeout) {
        throw new ProcessingError(`${label}: still ${current.processingStatus} after ${Date.now() - started} ms`, {
          operation: label,
          processingStatus: current.processingStatus,
        });
      }
      await sleep(wait, poll.signal);
      wait = Math.min(interval, wait * 2);
    }
  }
}
