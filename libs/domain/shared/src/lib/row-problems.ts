import { DomainError } from './domain-errors';

/** One problem of one input row of a bulk operation: `row` is the index of the input, `field` its field. */
export interface RowProblem {
  row: number;
  field: string;
  message: string;
}

/**
 * A bulk operation refused some of its rows, and therefore all of them: thrown inside the transaction,
 * so nothing is written. `rows` lists every problem found, not only the first.
 */
export class RowsRejectedError extends DomainError {
  constructor(readonly rows: RowProblem[]) {
    super(`${rows.length} problem(s) in the rows: nothing was written`);
  }
}

/**
 * The field a domain validation message is about: messages start with the field name (`sku must ...`,
 * `components[2].quantity must ...`); the first word, without its index, names it.
 */
export function fieldOfProblem(message: string, fallback: string): string {
  const m = /^([A-Za-z]+)(?:\[\d+\])?(?:\.[A-Za-z]+)?[\s:]/.exec(message);
  return m ? m[1] : fallback;
}
