/**
 * What the caller can do about an error, as an action on domain things. The message says what is
 * wrong; the host renders the remedy after it in its own terms (a route of its API), so domain code
 * never names a route.
 */
export type Remedy =
  /** See which warehouses exist. */
  | { action: 'list-warehouses' }
  /** Give the channel's setting a value. */
  | { action: 'set-channel-setting'; params: { channelId: string; setting: string } }
  /** Create a warehouse mirroring the stock the channel holds, and make it the channel's managed warehouse. */
  | { action: 'set-managed-warehouse'; params: { channelId: string; channelType: string } }
  /** Disconnect the listing and connect the new SKU instead. */
  | { action: 'relist'; params: { listingId: string } }
  /** Nothing was done: retry with only the products the channel's discrepancy list shows. */
  | { action: 'select-listed-discrepancies'; params: { channelId: string; channelType: string } };

/**
 * Errors the domain throws. The host maps them to HTTP statuses (NotFound 404, RuleViolation 409,
 * InvalidInput 400); domain code never knows about HTTP.
 */
export abstract class DomainError extends Error {
  /** Extra machine-readable fields the host adds to the error body (e.g. `{ index: 3 }`). */
  readonly details?: Record<string, unknown>;
  /** What the caller can do about it (see `withRemedy`). */
  remedy?: Remedy;

  protected constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }

  /** Attaches what the caller can do about the error: `throw new NotFoundError(...).withRemedy({...})`. */
  withRemedy(remedy: Remedy): this {
    this.remedy = remedy;
    return this;
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
  let out: DomainError;
  if (err instanceof InvalidInputError) {
    out = new InvalidInputError(
      err.problems.map((p) => prefix + p),
      { ...err.details, ...details },
    );
  } else if (err instanceof RuleViolationError) out = new RuleViolationError(prefix + err.message, err.rule, { ...err.details, ...details });
  else if (err instanceof NotFoundError) out = new NotFoundError(prefix + err.message, { ...err.details, ...details });
  else return err;
  if (err.remedy) out.withRemedy(err.remedy);
  return out;
}
