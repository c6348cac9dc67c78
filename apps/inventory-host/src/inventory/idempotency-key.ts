import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '@invsync/domain-stock';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/**
 * The `Idempotency-Key` request header (the IETF draft's name, which HTTP clients and proxies know),
 * checked like the body's `idempotencyKey`.
 */
export const IdempotencyKeyHeader = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<Request>().headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new BadRequestException([`${IDEMPOTENCY_KEY_HEADER} must be given once`]);
  if (!value.trim() || value.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw new BadRequestException([`${IDEMPOTENCY_KEY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`]);
  return value;
});

/** One key from the header or the body; both given must agree. */
export function oneIdempotencyKey(header: string | undefined, body: string | undefined): string | undefined {
  if (header !== undefined && body !== undefined && header !== body) {
    throw new BadRequestException([`the ${IDEMPOTENCY_KEY_HEADER} header and the body's idempotencyKey differ: send one, or the same value in both`]);
  }
  return header ?? body;
}
