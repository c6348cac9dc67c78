/**
 * Amazon takes an MFN order's units off the listing's quantity the moment the order is placed; the
 * host learns of the order only at the next download. A push in between sends on hand, which does
 * not know those units yet, and would put them back on sale. `lastAccepted` is what Amazon should
 * show if every sale were recorded (our last accepted quantity minus the units of orders recorded
 * since); anything Amazon shows below it was sold and not recorded yet, and is withheld.
 */
export function unrecordedSold(lastAccepted: number | null | undefined, shown: number | null | undefined): number {
  if (lastAccepted === null || lastAccepted === undefined || shown === null || shown === undefined) return 0;
  return Math.max(0, lastAccepted - shown);
}

/**
 * The quantity to give Amazon for a desired `quantity`, and the units sold but not recorded
 * (`withheld`, reported in full even when above `quantity`: the host carries them into the next
 * update's `lastAccepted`).
 */
export function quantityToSend(quantity: number, lastAccepted: number | null | undefined, shown: number | null | undefined): { send: number; withheld: number } {
  const withheld = unrecordedSold(lastAccepted, shown);
  return { send: Math.max(0, quantity - withheld), withheld };
}
