import { isUuid, newId } from './ids';

describe('newId', () => {
  it('is a UUID version 7 whose first 48 bits are the creation time in milliseconds', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  });

  it('is unique, and ids of later milliseconds sort after earlier ones', async () => {
    const first = Array.from({ length: 50_000 }, newId);
    expect(new Set(first).size).toBe(first.length);
    await new Promise((r) => setTimeout(r, 5));
    const later = newId();
    expect(first.every((id) => id < later)).toBe(true);
  });
});
