import fc from 'fast-check';
import { quantityToSend, unrecordedSold } from './unrecorded-sales';

describe('unrecordedSold / quantityToSend', () => {
  it('withholds the drop below what Amazon should show, never a rise, nothing when unknown', () => {
    expect(unrecordedSold(10, 6)).toBe(4);
    expect(unrecordedSold(10, 12)).toBe(0);
    expect(unrecordedSold(null, 6)).toBe(0);
    expect(unrecordedSold(10, undefined)).toBe(0);
    expect(quantityToSend(11, 10, 6)).toEqual({ send: 7, withheld: 4 });
    // More sold than on hand: nothing is offered, and every unrecorded unit is reported.
    expect(quantityToSend(2, 10, 5)).toEqual({ send: 0, withheld: 5 });
  });

  /**
   * Amazon and the host over random sequences. Amazon takes sold units off its quantity at once;
   * the host records them at a download. The host keeps, per listing, the quantity it last had
   * accepted, the units withheld in that send and the units recorded since; every push gives the
   * plugin `lastAccepted = max(0, accepted - withheld) + withheld - recordedSince`, as the host does.
   */
  type Step = { kind: 'sale'; units: number } | { kind: 'stock'; delta: number; push: boolean } | { kind: 'push' } | { kind: 'download' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('sale' as const), units: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ kind: fc.constant('stock' as const), delta: fc.integer({ min: -6, max: 6 }), push: fc.boolean() }),
    fc.record({ kind: fc.constant('push' as const) }),
    fc.record({ kind: fc.constant('download' as const) }),
  );

  it('Amazon never shows more than on hand minus the units sold and not recorded, and shows on hand once all are recorded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(step, { maxLength: 40 }), (start, steps) => {
        let onHand = start;
        let amazon = start;
        const notRecorded: number[] = [];
        const host = { accepted: start, withheld: 0, recordedSince: 0 };
        const push = () => {
          const lastAccepted = Math.max(0, host.accepted - host.withheld) + host.withheld - host.recordedSince;
          const { send, withheld } = quantityToSend(onHand, lastAccepted, amazon);
          amazon = send;
          Object.assign(host, { accepted: onHand, withheld, recordedSince: 0 });
        };
        const unsold = () => notRecorded.reduce((a, b) => a + b, 0);
        for (const s of steps) {
          if (s.kind === 'sale') {
            if (amazon < s.units) continue; // Amazon sells only what it shows
            amazon -= s.units;
            notRecorded.push(s.units);
          } else if (s.kind === 'stock') {
            onHand = Math.max(0, onHand + s.delta);
            // A decrease is always pushed (the host sends a lower on hand); a rise may wait.
            if (s.push || s.delta < 0) push();
          } else if (s.kind === 'push') push();
          else {
            const units = notRecorded.shift();
            if (units === undefined) continue;
            onHand = Math.max(0, onHand - units); // the allocation
            host.recordedSince += units;
            push(); // recording an order wakes the sync
          }
          expect(amazon).toBeLessThanOrEqual(Math.max(0, onHand - unsold()));
        }
        while (notRecorded.length) {
          const units = notRecorded.shift()!;
          onHand = Math.max(0, onHand - units);
          host.recordedSince += units;
        }
        push();
        expect(amazon).toBe(onHand);
      }),
      { numRuns: 500 },
    );
  });
});
