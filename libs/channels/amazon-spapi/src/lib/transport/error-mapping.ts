import axios, { type AxiosResponse } from 'axios';
import {
  InvalidInputError,
  NotFoundError,
  ProcessingError,
  ServerError,
  SpApiError,
  ThrottledError,
  TimeoutError,
  UnauthorizedError,
  describeAmazonErrors,
  readAmazonErrors,
  type SpApiErrorInit,
} from '../errors';
import type { SecretRedactor } from '../redactor';

/** The typed error of a non-2xx answer, with Amazon's errors (redacted) and the request ID. */
export function errorFromResponse(operation: string, res: AxiosResponse, attempt: number, redactor: SecretRedactor): SpApiError {
  let body: unknown = res.data;
  if (body instanceof ArrayBuffer || Buffer.isBuffer(body)) {
    try {
      body = JSON.parse(Buffer.from(body as ArrayBuffer).toString('utf8'));
    } catch {
      body = undefined;
    }
  }
  const amazonErrors = readAmazonErrors(body).map((e) => ({
    code: redactor.redact(e.code),
    message: redactor.redact(e.message),
    ...(e.details !== undefined ? { details: redactor.redact(e.details) } : {}),
  }));
  const status = res.status;
  const text = describeAmazonErrors(amazonErrors);
  const message = `SP-API ${operation} answered ${status}${text ? `: ${text}` : ''}`;
  const init: SpApiErrorInit = {
    operation,
    status,
    amazonErrors,
    requestId: headerValue(res, 'x-amzn-requestid'),
    attempts: attempt,
  };
  if (status === 429) return new ThrottledError(message, { ...init, rateLimit: rateFromHeader(res) });
  if (status === 401 || status === 403) return new UnauthorizedError(message, init);
  if (status === 404) return new NotFoundError(message, init);
  if (status >= 500) return new ServerError(message, init);
  if (status >= 400) return new InvalidInputError(message, init);
  return new SpApiError(message, init);
}

/** Any failure of an attempt as a typed error carrying the attempt number; never the axios request (it holds the token). */
export function normalizeError(label: string, err: unknown, attempt: number, redactor: SecretRedactor): SpApiError {
  if (err instanceof SpApiError) {
    if (err.attempts === attempt) return err;
    return rebuild(err, attempt);
  }
  if (err instanceof Error && err.name === 'RequiredError') {
    // The generated SDK refuses a call without a required parameter before sending it.
    return new InvalidInputError(`SP-API ${label}: ${err.message}`, { operation: label, attempts: attempt });
  }
  const code = (err as { code?: string }).code;
  if (axios.isAxiosError(err) || code) {
    const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT';
    return new TimeoutError(`SP-API ${label}: ${timedOut ? 'no answer in time' : `connection failed (${code ?? 'network error'})`}`, {
      operation: label,
      attempts: attempt,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new SpApiError(redactor.redact(`SP-API ${label}: ${message}`), { operation: label, attempts: attempt });
}

/** Amazon's granted rate (`x-amzn-RateLimit-Limit`), when the answer carries a usable one. */
export function rateFromHeader(res: AxiosResponse): number | undefined {
  const v = headerValue(res, 'x-amzn-ratelimit-limit');
  if (v === undefined) return undefined;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function headerValue(res: AxiosResponse, name: string): string | undefined {
  const v = res.headers?.[name];
  return v === undefined || v === null ? undefined : String(v);
}

function rebuild(err: SpApiError, attempts: number): SpApiError {
  const Ctor = err.constructor as new (message: string, init: SpApiErrorInit & Record<string, unknown>) => SpApiError;
  return new Ctor(err.message, {
    operation: err.operation,
    status: err.status,
    amazonErrors: err.amazonErrors,
    requestId: err.requestId,
    attempts,
    ...(err instanceof ThrottledError ? { rateLimit: err.rateLimit } : {}),
    ...(err instanceof ProcessingError ? { processingStatus: err.processingStatus } : {}),
  });
}
