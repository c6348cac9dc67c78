import { listingReadAt, RemoteRead, remoteWrite, type StoredRemoteRow } from './remote-read';

const T1 = '2026-11-01T00:00:00.000Z';
const T2 = '2026-11-02T00:00:00.000Z';
const row = (over: Partial<StoredRemoteRow> = {}): StoredRemoteRow => ({ id: 'l1', sku_key: 'A-1', marketplace_id: 'M1', remote_quantity: null, remote_details: null, remote_read_at: null, ...over });
const readOf = (...qs: Parameters<RemoteRead['add']>[0][]) => {
  const r = new RemoteRead();
  qs.forEach((q) => r.add(q));
  return r;
};

describe('listingReadAt', () => {
  it('is the listing own time while it is missing, the channel read when seen in it, null when never read', () => {
    expect(listingReadAt({ remoteQuantity: 3, remoteReadAt: T1 }, T2)).toBe(T1);
    expect(listingReadAt({ remoteQuantity: 3, remoteReadAt: null }, T2)).toBe(T2);
    expect(listingReadAt({ remoteQuantity: null, remoteReadAt: null }, T2)).toBeNull();
    expect(listingReadAt({ remoteQuantity: 0, remoteReadAt: null }, null)).toBeNull();
  });
});

describe('RemoteRead', () => {
  it('matches SKUs ignoring case, honours a marketplace, and lets the last entry meant for a listing win', () => {
    const r = readOf({ sku: 'a-1', quantity: 1 }, { sku: 'B-1', quantity: 2, marketplaceId: 'M1' }, { sku: 'B-1', quantity: 9, marketplaceId: 'M2' }, { sku: 'C-1', quantity: 3, marketplaceId: 'M1', details: { reserved: 1 } }, { sku: 'C-1', quantity: 4 });
    expect(r.entries).toBe(5);
    expect(r.match('A-1', 'M7')).toEqual({ quantity: 1, details: null });
    expect(r.match('B-1', 'M1')).toMatchObject({ quantity: 2 });
    expect(r.match('B-1', 'M2')).toMatchObject({ quantity: 9 });
    expect(r.match('B-1', 'M3')).toBeUndefined();
    expect(r.match('C-1', 'M1')).toEqual({ quantity: 4, details: null });
    expect(r.match('D-1', 'M1')).toBeUndefined();
  });
});

describe('remoteWrite', () => {
  const read = readOf({ sku: 'A-1', quantity: 5 });
  it('writes nothing for a listing seen with the same quantity and details', () => {
    expect(remoteWrite(row({ remote_quantity: 5 }), read, T1)).toBeNull();
    expect(remoteWrite(row({ remote_quantity: '5' }), read, T1)).toBeNull();
  });
  it('writes a seen listing whose quantity or details changed, or that was unread or missing (clearing its own time)', () => {
    const seen = { id: 'l1', quantity: 5, details: null, readAt: null };
    expect(remoteWrite(row({ remote_quantity: 4 }), read, T1)).toEqual(seen);
    expect(remoteWrite(row({ remote_quantity: 5, remote_details: '{"reserved":1}' }), read, T1)).toEqual(seen);
    expect(remoteWrite(row(), read, T1)).toEqual(seen);
    expect(remoteWrite(row({ remote_quantity: 5, remote_read_at: T1 }), read, T2)).toEqual(seen);
  });
  it('dates a listing that went missing by the previous read, and leaves one already missing or never read alone', () => {
    const empty = new RemoteRead();
    expect(remoteWrite(row({ remote_quantity: 3, remote_details: '{"reserved":1}' }), empty, T1)).toEqual({ id: 'l1', quantity: 3, details: '{"reserved":1}', readAt: T1 });
    expect(remoteWrite(row({ remote_quantity: 3, remote_read_at: T1 }), empty, T2)).toBeNull();
    expect(remoteWrite(row(), empty, T2)).toBeNull();
  });
  it('makes a missing listing unread when no earlier complete read can date it', () => {
    expect(remoteWrite(row({ remote_quantity: 3 }), new RemoteRead(), null)).toEqual({ id: 'l1', quantity: null, details: null, readAt: null });
  });
  it('a marketplace-specific entry for another marketplace does not count as seen', () => {
    expect(remoteWrite(row({ remote_quantity: 3 }), readOf({ sku: 'A-1', quantity: 3, marketplaceId: 'M9' }), T1)).toEqual({ id: 'l1', quantity: 3, details: null, readAt: T1 });
  });
});
