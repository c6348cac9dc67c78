import fc from 'fast-check';
import { type ChannelView, desiredQuantity } from '@invsync/domain-channels';
import { type ClaimedListing, planPass, type PlannedListing } from './pass-planner';

const T0 = '2026-01-01T00:00:00.000Z';
const ch = (id: string, rules: ChannelView['rules'] = {}): ChannelView => ({
  id, type: 'test', name: id, fulfilment: 'merchant', marketplaceId: 'M1', quantityPool: 'pool', accountId: 'seller',
  syncEnabled: true, onHandWarehouseIds: ['w1'], allocationWarehouseId: null, managedWarehouseId: null, rules,
});
const row = (id: string, over: Partial<PlannedListing> = {}): PlannedListing => ({
  id, sku: 'SKU', productId: 'p1', marketplaceId: 'M1', quantityPool: 'pool', skuKey: 'sku', overrides: '{}', syncEnabled: true,
  dirty: true, forceSend: false, acceptedQuantity: 10, status: 'synced', attempts: 0,
  soldBasis: 10, soldBasisAt: T0, withheldQuantity: 0, withheldSince: null, ...over,
});

/** What the channel shows if every sale were recorded, as the planner estimates it. */
function shownEstimate(c: ClaimedListing): number | null {
  if (c.row.soldBasis !== null) return Math.max(0, c.row.soldBasis - (c.recordedSince ?? 0));
  return c.row.acceptedQuantity;
}

describe('planPass: priority lanes', () => {
  it('the lead lane sends a decrease at once, first and marked, and defers a raise to its window', () => {
    const down: ClaimedListing = { row: row('down', { skuKey: 'a' }), channel: ch('c'), onHand: 7 };
    const up: ClaimedListing = { row: row('up', { skuKey: 'b' }), channel: ch('c'), onHand: 12 };
    const lead = planPass([up, down], { lane: 'lead' });
    expect(lead.send).toEqual([expect.objectContaining({ listingIds: ['down'], quantity: 7, update: expect.objectContaining({ priority: 'decrease', lastAccepted: 10 }) })]);
    expect(lead.settle).toEqual([{ ids: ['up'], defer: true }]);
    expect(lead.deferred).toBe(1);
    // The window's lane sends both, the decrease first.
    const due = planPass([up, down]);
    expect(due.send.map((s) => [s.listingIds[0], s.update.priority ?? 'normal'])).toEqual([['down', 'decrease'], ['up', 'normal']]);
  });

  it('a drop Amazon already shows (orders recorded since the send) is not a decrease', () => {
    // Sold basis 10, 3 units of orders recorded since: the channel took them off itself and shows 7.
    const sold: ClaimedListing = { row: row('a'), channel: ch('c'), onHand: 7, recordedSince: 3 };
    expect(planPass([sold], { lane: 'lead' })).toMatchObject({ send: [], deferred: 1 });
    expect(planPass([{ ...sold, onHand: 6 }], { lane: 'lead' }).send[0]).toMatchObject({ quantity: 6, update: { priority: 'decrease', lastAccepted: 7 } });
  });

  it('a zero is a decrease; never sent or nothing accepted is not', () => {
    expect(planPass([{ row: row('a', { soldBasis: null, soldBasisAt: null, acceptedQuantity: 2 }), channel: ch('c', { zeroAtOrBelow: 1 }), onHand: 1 }], { lane: 'lead' }).send[0]).toMatchObject({ quantity: 0, update: { priority: 'decrease' } });
    expect(planPass([{ row: row('a', { soldBasis: null, soldBasisAt: null, acceptedQuantity: null, status: 'pending' }), channel: ch('c'), onHand: 0 }], { lane: 'lead' })).toMatchObject({ send: [], deferred: 1 });
  });

  const groups = fc.array(
    fc.record({
      group: fc.integer({ min: 0, max: 4 }),
      onHand: fc.integer({ min: 0, max: 12 }),
      // The sold basis is the accepted quantity plus the units withheld in it; null after an abandoned claim.
      withheld: fc.integer({ min: 0, max: 3 }),
      basisKnown: fc.boolean(),
      accepted: fc.option(fc.integer({ min: 0, max: 12 }), { nil: null }),
      recordedSince: fc.integer({ min: 0, max: 4 }),
      reserve: fc.integer({ min: 0, max: 2 }),
      force: fc.boolean(),
    }),
    { maxLength: 10 },
  );
  // One product per group: members of a group share on hand, basis and rules, as one shared quantity does.
  type Spec = { group: number; onHand: number; withheld: number; basisKnown: boolean; accepted: number | null; recordedSince: number; reserve: number; force: boolean };
  const claimedOf = (specs: Spec[]): ClaimedListing[] => {
    const first = new Map<number, Spec>();
    for (const s of specs) if (!first.has(s.group)) first.set(s.group, s);
    return specs.map((s, i) => {
      const g = first.get(s.group)!;
      const basis = g.accepted !== null && g.basisKnown ? g.accepted + g.withheld : null;
      return {
        row: row(`l${i}`, {
          skuKey: `sku-${s.group}`, productId: `p${s.group}`, forceSend: s.force, acceptedQuantity: g.accepted,
          soldBasis: basis, soldBasisAt: basis === null ? null : T0, withheldQuantity: basis === null ? 0 : g.withheld, withheldSince: basis !== null && g.withheld ? T0 : null, status: g.accepted === null ? 'pending' : 'synced',
        }),
        channel: ch(`c${s.group}`, { reserve: g.reserve }),
        onHand: g.onHand,
        recordedSince: g.recordedSince,
      };
    });
  };

  it('property: a decrease is never held back by the window, the lead lane sends nothing else, and no send exceeds on hand', () => {
    fc.assert(
      fc.property(groups, (specs) => {
        const claimed = claimedOf(specs);
        const lead = planPass(claimed, { lane: 'lead' });
        const due = planPass(claimed);
        const byGroup = new Map<string, ClaimedListing[]>();
        for (const c of claimed) byGroup.set(c.row.skuKey, [...(byGroup.get(c.row.skuKey) ?? []), c]);
        for (const members of byGroup.values()) {
          const quantity = desiredQuantity(members[0].onHand, members[0].channel.rules, '{}').quantity;
          const shown = shownEstimate(members[0]);
          const isDecrease = shown !== null && quantity < shown;
          const sentLead = lead.send.find((s) => members.some((m) => s.listingIds.includes(m.row.id)));
          const sentDue = due.send.find((s) => members.some((m) => s.listingIds.includes(m.row.id)));
          // The window adds nothing to a decrease: the lead lane sends exactly what the due lane would.
          if (isDecrease) {
            expect(sentLead).toBeDefined();
            expect(sentLead).toEqual(sentDue);
            expect(sentLead!.update.priority).toBe('decrease');
          } else {
            expect(sentLead).toBeUndefined();
            if (sentDue) expect(sentDue.update.priority).toBeUndefined();
          }
          for (const s of [sentLead, sentDue]) if (s) expect(s.quantity).toBeLessThanOrEqual(members[0].onHand);
        }
        // Decreases first in every plan.
        for (const plan of [lead, due]) {
          const ranks = plan.send.map((s) => (s.update.priority === 'decrease' ? 0 : 1));
          expect(ranks).toEqual([...ranks].sort());
        }
        // Every claimed listing is answered for exactly once in each lane.
        for (const plan of [lead, due]) {
          const answered = [...plan.settle.flatMap((s) => s.ids), ...plan.send.flatMap((s) => s.listingIds)].sort();
          expect(answered).toEqual(claimed.map((c) => c.row.id).sort());
        }
      }),
    );
  });
});
