import type { ChannelIdentity } from '@invsync/plugin-api';
import { createHash } from 'node:crypto';

/** A webhook channel's settings (validated by the manifest's schema; the secret decrypted). */
export interface WebhookSettings {
  url: string;
  secret: string;
  account?: string;
  marketplace?: string;
  timeoutMs?: number;
  maxAttempts?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_MARKETPLACE = 'default';

/** Checks beyond the JSON schema. */
export function validateWebhookSettings(s: WebhookSettings): string[] {
  let url: URL;
  try {
    url = new URL(s.url);
  } catch {
    return [`settings.url "${s.url}" is not a valid URL`];
  }
  const problems: string[] = [];
  if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('settings.url must be an http or https URL');
  // The URL is stored and shown in clear text; credentials belong in the (encrypted) signing secret.
  if (url.username || url.password) problems.push('settings.url must not contain a user name or password: the receiver authenticates requests by their signature');
  return problems;
}

/**
 * Each listing its own quantity: listings share one only when they have the same SKU and go to the
 * same receiver URL with the same account and marketplace labels, i.e. when the receiver could not
 * tell them apart. The URL enters the pool key as a digest, so a token in its query string is not
 * copied into the host's listing rows.
 */
export function identifyWebhook(s: WebhookSettings): ChannelIdentity {
  const url = new URL(s.url);
  const digest = createHash('sha256').update(url.href).digest('hex').slice(0, 16);
  const marketplaceId = s.marketplace ?? DEFAULT_MARKETPLACE;
  return {
    marketplaceId,
    quantityPool: `webhook:${digest}:${encodeURIComponent(s.account ?? '')}:${encodeURIComponent(marketplaceId)}`,
    accountId: s.account ?? url.host,
  };
}
