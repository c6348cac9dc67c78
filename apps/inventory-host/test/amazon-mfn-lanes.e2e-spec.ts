import { amazonMfnE2e, itShowsNoCredential, UK } from './support/amazon-mfn-e2e';

/** Long enough that nothing sent by the window's lane can arrive before a leading send on a slow machine. */
const LANE_WINDOW = 3000;

describe('amazon-mfn end to end: priority lanes (a decrease is sent at once, an increase waits for its window)', () => {
  const e = amazonMfnE2e({ SYNC_WINDOW_MS: String(LANE_WINDOW) });

  /** A seller's channel with products at `stock`, connected and shown on the sandbox. */
  async function setup(stocks: number[]) {
    const s = e.seller();
    const products = [];
    for (const stock of stocks) {
      const p = await e.inv.product();
      await e.inv.move(p.id, e.w1.id, stock);
      e.sb.admin.seedListings({ sellerId: s.sellerId, sku: p.sku, marketplaceId: UK, quantity: stock });
      products.push(p);
    }
    const c = await e.channel(s);
    for (const p of products) await e.inv.connect(c.id, p.sku, p.id);
    for (const [i, p] of products.entries()) await e.waitShown(s.sellerId, p.sku, stocks[i]);
    await e.settled(c.id);
    const patches = (sku: string, after: number) => e.calls(s.sellerId, 'patchListingsItem', after).filter((x) => x.sku === sku && x.status < 300);
    return { s, c, products, patches };
  }

  it('a decrease committed after three increases of another product reaches Amazon first; the increases cost one patch', async () => {
    const { s, products: [up, down], patches } = await setup([10, 10]);
    const from = e.lastSeq();
    for (let i = 0; i < 3; i++) await e.inv.move(up.id, e.w1.id, 1);
    await e.inv.move(down.id, e.w1.id, -2);
    await e.waitShown(s.sellerId, down.sku, 8);
    await e.waitShown(s.sellerId, up.sku, 13, 20_000);
    const [downPatch, ...moreDown] = patches(down.sku, from);
    const [upPatch, ...moreUp] = patches(up.sku, from);
    expect([moreDown, moreUp]).toEqual([[], []]);
    expect(downPatch.quantity).toBe(8);
    expect(upPatch.quantity).toBe(13);
    // Committed last, sent first: the decrease did not wait for a window; the increases did.
    expect(downPatch.seq).toBeLessThan(upPatch.seq);
  });

  it('ten sales in a row cost at most two patches (one at once, one when the window ends) and end on on hand', async () => {
    const { s, products: [p], patches } = await setup([20]);
    const from = e.lastSeq();
    for (let i = 0; i < 10; i++) await e.inv.move(p.id, e.w1.id, -1);
    await e.waitShown(s.sellerId, p.sku, 10, 20_000);
    const sent = patches(p.sku, from);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThanOrEqual(2);
    expect(sent.at(-1)?.quantity).toBe(10);
    // Every patch lowered the quantity, none went above on hand at its time (it only fell).
    for (const x of sent) expect(x.quantity).toBeLessThan(20);
  });

  itShowsNoCredential(e);
});
