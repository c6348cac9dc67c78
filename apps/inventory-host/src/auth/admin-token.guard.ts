import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HostOptions } from '../app/host-options';
import { IS_PUBLIC } from './public.decorator';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Bearer-token check for the admin API; compares digests in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    options: HostOptions,
  ) {
    this.expected = digest(options.config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match || !timingSafeEqual(digest(match[1].trim()), this.expected)) {
      throw new UnauthorizedException('A valid admin token is required: send "Authorization: Bearer <ADMIN_TOKEN>".');
    }
    return true;
  }
}
