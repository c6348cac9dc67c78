import fc from 'fast-check';
import { type ChannelView, desiredQuantity, type ListingStatus } from '@invsync/domain-channels';
import { type ClaimedListing, planPass, type PlannedListing } from './pass-planner';

const channelView = (id: string, over: Partial<ChannelView> = {}): ChannelView => ({
  id,
  type: 'test',
  name: id,
  fulfilment: 'merchant',
  marketplaceId: `M-${id}`,
  quantityPool: 'pool',
  accountId: 'seller',
  syncEnabled: true,
  onHandWarehouseIds: ['w1'],
  allocationWarehouseId: null,
  managedWarehouseId: null,
  rules: {},
  ...over,
});

const listing = (id: string, over: Partial<PlannedListing> = {}): PlannedListing => ({
  id,
  sku: 'SKU',
  productId: 'p1',
  marketplaceId: 'M1',
  quantityPool: 'pool',
  skuKey: 'sku',
  overrides: '{}',
  syncEnabled: true,
  dirty: true,
  forceSend: false,
  acceptedQuantity: null,
  status: 'pending',
  attempts: 0,
  soldBasis: null,
  soldBasisAt: null,
  withheldQuantity: 0,
  withheldSince: null,
  ...over,
});

describe('planPass', () => {
  it('sends one update per shared quantity, through a dirty member, with its marketplaces', () => {
    const fr = channelView('fr', { rules: { reserve: 1 } });
    const de = channelView('de', { rules: { reserve: 1 } });
    const plan = planPass([
      { row: listing('a', { marketplaceId: 'FR', dirty: false, attempts: 2 }), channel: fr, onHand: 5 },
      { row: listing('b', { marketplaceId: 'DE', attempts: 1 }), channel: de, onHand: 5 },
    ]);
    expect(plan.settle).toEqual([]);
    expect(plan.send).toEqual([
      { channelId: 'de', listingIds: ['a', 'b'], quantity: 4, attempts: 2, update: { updateId: 'a', sku: 'SKU', marketplaceIds: ['DE', 'FR'], quantity: 4 } },
    ]);
  });

  it('settles a group the channel already shows, unless forced', () => {
    const ch = channelView('c');
    const shown = { row: listing('a', { acceptedQuantity: 3, status: 'synced' }), channel: ch, onHand: 3 };
    expect(planPass([shown])).toMatchObject({ send: [], unchanged: 1, settle: [{ ids: ['a'], computed: 3, accepted: { quantity: 3, status: 'synced' } }] });
    const forced = { ...shown, row: { ...shown.row, forceSend: true } };
    expect(planPass([forced])).toMatchObject({ settle: [], unchanged: 0, send: [{ listingIds: ['a'], quantity: 3 }] });
  });

  it('refuses a shared quantity whose members could differ, and settles disabled members', () => {
    const plan = planPass([
      { row: listing('a'), channel: channelView('c1'), onHand: 3 },
      { row: listing('b', { overrides: '{"maxQuantity":1}' }), channel: channelView('c2'), onHand: 3 },
      { row: listing('c', { syncEnabled: false }), channel: channelView('c3'), onHand: 3 },
    ]);
    expect(plan).toMatchObject({ send: [], disabled: 1, conflicts: 2 });
    expect(plan.settle).toEqual([
      { ids: ['c'], status: 'disabled', error: null },
      expect.objectContaining({ ids: ['a', 'b'], status: 'conflict', error: expect.stringMatching(/could differ/) }),
    ]);
  });

  const statuses: ListingStatus[] = ['pending', 'sent', 'synced', 'error'];
  const claimedLists = fc
    .array(
      fc.record({
        group: fc.integer({ min: 0, max: 3 }),
        product: fc.constantFrom('p1', 'p2'),
        channelOn: fc.boolean(),
        rowOn: fc.boolean(),
        dirty: fc.boolean(),
        force: fc.boolean(),
        accepted: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
        status: fc.constantFrom(...statuses),
        maxQuantity: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
        attempts: fc.integer({ min: 0, max: 5 }),
      }),
      { maxLength: 12 },
    )
    .map((specs) =>
      specs.map((x, i): ClaimedListing => ({
        row: listing(`l${String(i).padStart(2, '0')}`, {
          skuKey: `sku-${x.group}`,
          productId: x.product,
          syncEnabled: x.rowOn,
          dirty: x.dirty,
          forceSend: x.force,
          acceptedQuantity: x.accepted,
          status: x.status,
          overrides: JSON.stringify(x.maxQuantity === undefined ? {} : { maxQuantity: x.maxQuantity }),
          attempts: x.attempts,
        }),
        channel: channelView(`c${i}`, { syncEnabled: x.channelOn }),
        // Stock per product: members of one product see the same on hand, as in one pass.
        onHand: x.product === 'p1' ? 4 : 2,
      })),
    );

  it('answers for every claimed listing exactly once, and sends only what the channel may not show', () => {
    fc.assert(
      fc.property(claimedLists, (claimed) => {
        const plan = planPass(claimed);
        const answered = [...plan.settle.flatMap((s) => s.ids), ...plan.send.flatMap((s) => s.listingIds)].sort();
        expect(answered).toEqual(claimed.map((c) => c.row.id).sort());
        const byId = new Map(claimed.map((c) => [c.row.id, c]));
        const active = (c: ClaimedListing) => c.channel.syncEnabled && c.row.syncEnabled;
        expect(plan.disabled).toBe(claimed.filter((c) => !active(c)).length);
        for (const send of plan.send) {
          const members = send.listingIds.map((id) => byId.get(id)!);
          expect(members.every(active)).toBe(true);
          expect(new Set(members.map((m) => m.row.skuKey)).size).toBe(1);
          expect(members.map((m) => desiredQuantity(m.onHand, m.channel.rules, m.row.overrides).quantity)).toEqual(members.map(() => send.quantity));
          const forced = members.some((m) => m.row.forceSend);
          const shown = members.some((m) => m.row.acceptedQuantity === send.quantity && (m.row.status === 'synced' || m.row.status === 'sent'));
          expect(forced || !shown).toBe(true);
          const accepted = members.map((m) => m.row.acceptedQuantity).filter((q): q is number => q !== null);
          const decrease = accepted.length > 0 && send.quantity < Math.max(...accepted);
          expect(send.update).toEqual({ updateId: members[0].row.id, sku: 'SKU', marketplaceIds: ['M1'], quantity: send.quantity, ...(decrease ? { priority: 'decrease' } : {}) });
          expect(send.attempts).toBe(Math.max(...members.map((m) => m.row.attempts)));
          expect(send.channelId).toBe((members.find((m) => m.row.dirty) ?? members[0]).channel.id);
        }
      }),
    );
  });
});
