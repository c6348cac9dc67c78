import { InvalidInputError, NotFoundError } from '@invsync/domain-shared';

/** A run cannot start now (one is in progress here or on another instance, or the host is stopping): HTTP 409. */
export class JobBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobBusyError';
  }
}

export function unknownJob(name: string): NotFoundError {
  return new NotFoundError(`No job named "${name}". GET /api/v1/jobs lists them.`);
}

export function badCron(problem: string): InvalidInputError {
  return new InvalidInputError([problem]);
}
