// Test-only: the plugin's code never imports the sandbox.
import { startAmazonSandbox, type AmazonSandbox, type AmazonSandboxOptions } from '@invsync/amazon-sandbox';
import type { ChannelInstance, PluginLogger } from '@invsync/plugin-api';
import { RateLimiter } from '@invsync/amazon-spapi';
import type { AmazonMfnPluginOptions, AmazonMfnSettings } from '../src';

export type { AmazonSandbox };
export const UK = 'A1F83G8C2ARO7P';
export const DE = 'A1PA6795UKMFR9';
export const US = 'ATVPDKIKX0DER';

export function sandbox(options: AmazonSandboxOptions = {}): Promise<AmazonSandbox> {
  return startAmazonSandbox({ feedProcessingDelayMs: 60, reportProcessingDelayMs: 30, ...options });
}

export function seller(sb: AmazonSandbox, sellerId: string) {
  const credentials = { clientId: `client-${sellerId}`, clientSecret: `cs-${sellerId}-very-secret`, refreshToken: `rt-${sellerId}-very-secret` };
  sb.admin.seedSellers({ sellerId, regions: ['EU', 'NA'], ...credentials });
  return credentials;
}

export function channel(sb: AmazonSandbox, sellerId: string, extra: Partial<AmazonMfnSettings> = {}, id = `ch-${sellerId}`): ChannelInstance<AmazonMfnSettings> {
  const credentials = { clientId: `client-${sellerId}`, clientSecret: `cs-${sellerId}-very-secret`, refreshToken: `rt-${sellerId}-very-secret` };
  const marketplaceId = extra.marketplaceId ?? UK;
  return {
    id,
    name: id,
    type: 'amazon-mfn',
    settings: { sellerId, region: marketplaceId === US ? 'NA' : 'EU', marketplaceId, credentials, spApiEndpoint: sb.url, lwaEndpoint: `${sb.url}/auth/o2/token`, ...extra },
  };
}

export const fastClient: AmazonMfnPluginOptions = {
  client: { rateLimiter: new RateLimiter(), retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 }, initialPollIntervalMs: 10, pollIntervalMs: 50, timeoutMs: 5000 },
};

export function captureLogger(): PluginLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

export async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const p of pages) out.push(...p);
  return out;
}
