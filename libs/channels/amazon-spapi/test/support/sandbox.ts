// The client's integration tests run against the sandbox, an independent implementation of Amazon's
// behaviour. Test-only dependency: the client's own code never imports the sandbox.
import { startAmazonSandbox, type AmazonSandbox, type AmazonSandboxOptions } from '@invsync/amazon-sandbox';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RateLimiter, SpApiClient, type SpApiClientOptions, type SpApiLogger } from '../../src';

export type { AmazonSandbox };

export const EU_UK = 'A1F83G8C2ARO7P';
export const EU_DE = 'A1PA6795UKMFR9';
export const NA_US = 'ATVPDKIKX0DER';
export const NA_CA = 'A2EUQ1WTGCTBG2';

/** `shared/amazon-spapi` beside the repository: the nearest one up the tree, so a checkout nested one level deeper (a git worktree) finds it too. */
export const SHARED_SPAPI = nearestShared(path.resolve(__dirname, '../../../../..'));

function nearestShared(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'amazon-spapi');
    if (fs.existsSync(candidate) || dir === path.dirname(dir)) return candidate;
  }
}

export async function sandbox(options: AmazonSandboxOptions = {}): Promise<AmazonSandbox> {
  return startAmazonSandbox({ feedProcessingDelayMs: 30, reportProcessingDelayMs: 30, ...options });
}

export function seedSeller(sb: AmazonSandbox, sellerId: string, regions: Array<'NA' | 'EU' | 'FE'> = ['EU', 'NA']) {
  const credentials = { refreshToken: `rt-${sellerId}-secret-refresh`, clientId: `client-${sellerId}`, clientSecret: `cs-${sellerId}-secret-client` };
  sb.admin.seedSellers({ sellerId, regions, ...credentials });
  return credentials;
}

export interface CapturedLogger extends SpApiLogger {
  lines: string[];
}

export function captureLogger(): CapturedLogger {
  const lines: string[] = [];
  const rec = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`);
  };
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn'), error: rec('error') };
}

export function clientFor(sb: AmazonSandbox, sellerId: string, options: Partial<SpApiClientOptions> = {}): SpApiClient {
  const credentials = options.credentials ?? {
    refreshToken: `rt-${sellerId}-secret-refresh`,
    clientId: `client-${sellerId}`,
    clientSecret: `cs-${sellerId}-secret-client`,
  };
  return new SpApiClient({
    sellerId,
    region: 'EU',
    credentials,
    spApiEndpoint: sb.url,
    lwaEndpoint: `${sb.url}/auth/o2/token`,
    rateLimiter: new RateLimiter(),
    retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200 },
    pollIntervalMs: 20,
    timeoutMs: 5000,
    ...options,
  });
}
