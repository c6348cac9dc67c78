import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = Symbol('isPublic');

/** Marks a route that needs no admin token (health, docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
