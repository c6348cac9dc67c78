import type { ChannelView } from '@invsync/domain-channels';
import { withUnrecordedSales } from './delivery-confirmer';
import { planPass, type PlannedListing } from './pass-planner';

const T0 = '2026-01-01T00:00:00.000Z';
const ch: ChannelView = {
  id: 'c', type: 'test', name: 'c', fulfilment: 'merchant', marketplaceId: 'M1', quantityPool: 'pool', accountId: 'seller',
  syncEnabled: true, onHandWarehouseIds: ['w1'], allocationWarehouseId: null, managedWarehouseId: null, rules: {},
};
const row = (over: Partial<PlannedListing> = {}): PlannedListing => ({
  id: 'a', sku: 'SKU', productId: 'p1', marketplaceId: 'M1', quantityPool: 'pool', skuKey: 'sku', overrides: '{}', syncEnabled: true,
  dirty: true, forceSend: false, acceptedQuantity: 10, status: 'synced', attempts: 0,
  soldBasis: 10, soldBasisAt: T0, withheldQuantity: 0, withheldSince: null, ...over,
});
const at = (h: number) => new Date(Date.parse(T0) + h * 3600_000);

/** The update tells the plugin what the channel should show if every sale were recorded. */
describe('planPass: lastAccepted', () => {
  it('is the sold basis minus the units recorded since; absent before the first send', () => {
    expect(planPass([{ row: row(), channel: ch, onHand: 11 }]).send[0].update).toMatchObject({ quantity: 11, lastAccepted: 10 });
    expect(planPass([{ row: row(), channel: ch, onHand: 7, recordedSince: 4 }]).send[0].update.lastAccepted).toBe(6);
    expect(planPass([{ row: row({ soldBasis: null, soldBasisAt: null, acceptedQuantity: null, status: 'pending' }), channel: ch, onHand: 3 }]).send[0].update).not.toHaveProperty('lastAccepted');
  });

  it('a listing with withheld units is sent again even when its quantity equals the accepted one', () => {
    const withheld = row({ acceptedQuantity: 11, soldBasis: 11, withheldQuantity: 4, withheldSince: T0 });
    expect(planPass([{ row: withheld, channel: ch, onHand: 11 }], { now: at(1) })).toMatchObject({ unchanged: 0, send: [{ quantity: 11, update: { lastAccepted: 11 } }] });
    expect(planPass([{ row: { ...withheld, withheldQuantity: 0, withheldSince: null }, channel: ch, onHand: 11 }])).toMatchObject({ unchanged: 1, send: [] });
  });

  it('withheld units no order explained within the maximum age are released', () => {
    const old = row({ acceptedQuantity: 11, soldBasis: 11, withheldQuantity: 4, withheldSince: T0 });
    expect(planPass([{ row: old, channel: ch, onHand: 11 }], { now: at(7), withheldMaxAgeMs: 6 * 3600_000 }).send[0].update).not.toHaveProperty('lastAccepted');
  });

  it('a shared quantity takes the basis of its latest send', () => {
    const a = row({ id: 'a', marketplaceId: 'DE', soldBasis: 8, soldBasisAt: T0 });
    const b = row({ id: 'b', marketplaceId: 'FR', soldBasis: 12, soldBasisAt: at(1).toISOString() });
    expect(planPass([{ row: a, channel: ch, onHand: 20 }, { row: b, channel: ch, onHand: 20, recordedSince: 2 }]).send[0].update.lastAccepted).toBe(10);
  });
});

describe('withUnrecordedSales', () => {
  it('records the withheld units and the basis (what was given plus them) of an applied send only', () => {
    const asOf = new Date(T0);
    expect(withUnrecordedSales({ kind: 'accepted', quantity: 11, receipt: 'r', holdUntil: null }, { updateId: 'u', status: 'accepted', withheld: 4 }, asOf)).toMatchObject({ sold: { withheld: 4, basis: 11, asOf: T0 } });
    // More sold than desired: nothing was given, every unrecorded unit stays in the basis.
    expect(withUnrecordedSales({ kind: 'synced', quantity: 2 }, { updateId: 'u', status: 'synced', withheld: 5 }, asOf)).toMatchObject({ sold: { withheld: 5, basis: 5 } });
    expect(withUnrecordedSales({ kind: 'synced', quantity: 2 }, { updateId: 'u', status: 'synced' }, asOf)).toMatchObject({ sold: { withheld: 0, basis: 2 } });
    for (const bad of [Number.NaN, -3, 1.5, Infinity]) expect(withUnrecordedSales({ kind: 'synced', quantity: 2 }, { updateId: 'u', status: 'synced', withheld: bad }, asOf)).toMatchObject({ sold: { withheld: 0, basis: 2 } });
    expect(withUnrecordedSales({ kind: 'rejected', quantity: 2, message: 'no' }, { updateId: 'u', status: 'rejected', withheld: 5 }, asOf)).not.toHaveProperty('sold');
  });
});
