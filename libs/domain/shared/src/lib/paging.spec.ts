import { InvalidInputError } from './domain-errors';
import { decodeCursor, encodeCursor, pageSize } from './paging';

describe('paging', () => {
  it('round-trips cursors and rejects foreign ones', () => {
    const c = encodeCursor(['ABC', 5]);
    expect(decodeCursor(c, ['string', 'number'])).toEqual(['ABC', 5]);
    expect(() => decodeCursor('nonsense', ['string'])).toThrow(InvalidInputError);
    expect(() => decodeCursor(c, ['string'])).toThrow(/cursor/);
  });
  it('checks limits', () => {
    expect(pageSize(undefined)).toBe(100);
    expect(pageSize(5)).toBe(5);
    expect(() => pageSize(0)).toThrow(/limit/);
    expect(() => pageSize(1.5)).toThrow(/limit/);
  });
});
