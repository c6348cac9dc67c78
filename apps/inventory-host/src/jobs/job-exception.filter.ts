import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { JobBusyError } from './job-errors';

/** Answers a job that cannot start now with 409 in Nest's error body shape. */
@Catch(JobBusyError)
export class JobExceptionFilter implements ExceptionFilter {
  catch(err: JobBusyError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    res.status(HttpStatus.CONFLICT).json({ message: err.message, error: 'Conflict', statusCode: HttpStatus.CONFLICT });
  }
}
