/** Typed errors of the SP-API client. Messages never carry a secret (see `SecretRedactor`). */

/** One entry of Amazon's `ErrorList` (`{ errors: [{ code, message, details }] }`). */
export interface AmazonErrorEntry {
  code: string;
  message: string;
  details?: string;
}

export interface SpApiErrorInit {
  operation: string;
  status?: number;
  amazonErrors?: AmazonErrorEntry[];
  requestId?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
}

export class SpApiError extends Error {
  /** HTTP status, undefined when no answer came back (timeout, network). */
  readonly status?: number;
  /** The operation that failed, e.g. `patchListingsItem`. */
  readonly operation: string;
  /** Amazon's error entries, as answered. */
  readonly amazonErrors: AmazonErrorEntry[];
  readonly requestId?: string;
  readonly attempts: number;
  /** Whether retrying the same call later may succeed. */
  readonly retryable: boolean = false;

  constructor(message: string, init: SpApiErrorInit) {
    super(message);
    this.name = new.target.name;
    this.status = init.status;
    this.operation = init.operation;
    this.amazonErrors = init.amazonErrors ?? [];
    this.requestId = init.requestId;
    this.attempts = init.attempts ?? 1;
  }

  /** Amazon's first error code, if any. */
  get code(): string | undefined {
    return this.amazonErrors[0]?.code;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      operation: this.operation,
      amazonErrors: this.amazonErrors,
      requestId: this.requestId,
      attempts: this.attempts,
    };
  }
}

/** 429: the usage plan of the operation was exceeded. */
export class ThrottledError extends SpApiError {
  override readonly retryable = true;
  /** The rate Amazon reported in `x-amzn-RateLimit-Limit`, when present. */
  readonly rateLimit?: number;
  constructor(message: string, init: SpApiErrorInit & { rateLimit?: number }) {
    super(message, init);
    this.rateLimit = init.rateLimit;
  }
}

/** 401/403 from SP-API, or LWA refusing the credentials. */
export class UnauthorizedError extends SpApiError {}

/** 400/404/409/413/415/422: the request itself is wrong; re-sending it will not help. */
export class InvalidInputError extends SpApiError {}

/** 404: the resource does not exist. */
export class NotFoundError extends InvalidInputError {}

/** A paging token (`nextToken`) was refused as invalid or expired: restart the listing from the beginning. */
export class NextTokenExpiredError extends InvalidInputError {}

/** 5xx. */
export class ServerError extends SpApiError {
  override readonly retryable = true;
}

/** No answer in time, or the connection dropped before an answer. */
export class TimeoutError extends SpApiError {
  override readonly retryable = true;
}

/** A feed or report ended FATAL/CANCELLED, or did not finish in the allowed time. */
export class ProcessingError extends SpApiError {
  readonly processingStatus: string;
  constructor(message: string, init: SpApiErrorInit & { processingStatus: string }) {
    super(message, init);
    this.processingStatus = init.processingStatus;
  }
}

/** Builds a readable message from Amazon's error list. */
export function describeAmazonErrors(errors: AmazonErrorEntry[]): string {
  return errors
    .map((e) => [e.code, e.message, e.details].filter((x) => x !== undefined && x !== '').join(': '))
    .join('; ');
}

/** Reads Amazon's `ErrorList` from an answer body (tolerates missing or odd bodies). */
export function readAmazonErrors(body: unknown): AmazonErrorEntry[] {
  if (!body || typeof body !== 'object') return [];
  const list = (body as { errors?: unknown }).errors;
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
    .map((e) => ({
      code: String(e['code'] ?? ''),
      message: String(e['message'] ?? ''),
      ...(e['details'] !== undefined ? { details: String(e['details']) } : {}),
    }));
}
