import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * Rate limit of the admin API. Runs before the token check so that guessing tokens is limited too.
 * One budget per client across all of /api/v1 (the default keys per route, which would multiply the
 * limit by the number of routes). /health and the docs are not limited: probes must always answer.
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    return !(req.originalUrl ?? req.url).startsWith('/api/v1/');
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `admin-api:${name}:${tracker}`;
  }
}
