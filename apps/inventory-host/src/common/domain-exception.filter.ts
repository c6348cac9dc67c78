import { type ArgumentsHost, Catch, type ExceptionFilter, HttpStatus, Injectable } from '@nestjs/common';
import { DomainError, InvalidInputError, NotFoundError, RuleViolationError } from '@invsync/domain-shared';
import type { Response } from 'express';
import { PluginHostService } from '../plugins/plugin-host.service';
import { vocabularyOf } from '../channels/api-vocabulary';
import { messageWithRemedy, type VocabularyOf } from './remedy-text';

/**
 * Maps domain errors to HTTP in Nest's error body shape `{statusCode, message, error}`:
 * InvalidInputError 400 (message: the list of field problems), NotFoundError 404, RuleViolationError
 * 409 (plus `rule`). The message ends with the error's remedy, if any, naming the route that helps.
 * `details` (e.g. `index` of a failing batch movement) are added to the body.
 * Anything else is left to Nest's default handler (HttpExceptions as they are, unknown errors 500
 * "Internal server error" without internals, logged).
 */
@Catch(DomainError)
@Injectable()
export class DomainExceptionFilter implements ExceptionFilter {
  private readonly words: VocabularyOf;

  constructor(plugins: PluginHostService) {
    this.words = (type) => vocabularyOf(plugins.channelType(type));
  }

  catch(err: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    let body: Record<string, unknown>;
    if (err instanceof InvalidInputError) {
      body = { statusCode: HttpStatus.BAD_REQUEST, message: err.problems, error: 'Bad Request' };
    } else if (err instanceof NotFoundError) {
      body = { statusCode: HttpStatus.NOT_FOUND, message: messageWithRemedy(err, this.words), error: 'Not Found' };
    } else if (err instanceof RuleViolationError) {
      body = { statusCode: HttpStatus.CONFLICT, message: messageWithRemedy(err, this.words), error: 'Conflict', rule: err.rule };
    } else {
      body = { statusCode: HttpStatus.UNPROCESSABLE_ENTITY, message: messageWithRemedy(err, this.words), error: 'Unprocessable Entity' };
    }
    res.status(body['statusCode'] as number).json({ ...err.details, ...body });
  }
}
