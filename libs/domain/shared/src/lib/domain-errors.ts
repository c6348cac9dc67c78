/**
 * Errors the domain throws. The host maps them to HTTP statuses (NotFound 404, RuleViolation 409,
 * InvalidInput 400); domain code never knows about HTTP.
 */
export abstract class DomainError extends Error {
  /** Extra machine-readable fields the host adds to the error body (e.g. `{ index: 3 }`). */
  readonly details?: Record<string, unknown>;

  protected constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** A referenced thing does not exist. */
export class NotFoundError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

/**
 * A well-formed request that breaks a business rule (duplicate SKU, stock would go negative, ...).
 * The message says which rule and what to do.
 */
export class RuleViolationError extends DomainError {
  constructor(
    message: string,
    /** Short stable identifier of the rule, e.g. `sku-unique`, `stock-non-negative`. */
    readonly rule: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

/** Input that fails a domain validation; `problems` holds one message per field problem. */
export class InvalidInputError extends DomainError {
  constructor(
    readonly problems: string[],
    details?: Record<string, unknown>,
  ) {
    super(problems.join('; '), details);
  }
}

/** Prefixes the message of a domain error (e.g. with `movements[3]: `), keeping its class. */
export function prefixDomainError(err: unknown, prefix: string, details?: Record<string, unknown>): unknown {
  if (err instanceof InvalidInputError) {
    return new InvalidInputError(
      err.problems.map((p) => prefix + p),
      { ...err.details, ...details },
    );
  }
  if (err instanceof RuleViolationError) return new RuleViolationError(prefix + err.message, err.rule, { ...err.details, ...details });
  if (err instanceof NotFoundError) return new NotFoundError(prefix + err.message, { ...err.details, ...details });
  return err;
}
