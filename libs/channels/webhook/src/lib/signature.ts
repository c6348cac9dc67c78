import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Invsync-Timestamp';
export const SIGNATURE_HEADER = 'X-Invsync-Signature';

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the channel's secret>`. The timestamp is
 * signed too, so a receiver that refuses old timestamps cannot be fed a replayed request.
 */
export function signPayload(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** What a receiver does (see the README): constant-time comparison of the expected signature. */
export function verifySignature(secret: string, timestamp: string | number, rawBody: string, signature: string): boolean {
  const expected = Buffer.from(signPayload(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
