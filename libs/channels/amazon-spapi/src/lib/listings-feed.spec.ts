import fc from 'fast-check';
import { parseProcessingReport, quantityMessage, splitQuantityFeed, MAX_FEED_MESSAGES } from './listings-feed';

const entry = fc.record({ sku: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), quantity: fc.nat(100_000) });

describe('splitQuantityFeed', () => {
  it('keeps every entry once, in order, within the message and byte limits, ids 1..n per feed', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 300 }), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 400, max: 6000 }), (entries, maxMessages, maxBytes) => {
        const batches = splitQuantityFeed('SELLER', entries, { maxMessages, maxBytes });
        expect(batches.flatMap((b) => b.entries)).toEqual(entries);
        for (const b of batches) {
          expect(b.entries.length).toBeGreaterThan(0);
          expect(b.entries.length).toBeLessThanOrEqual(maxMessages);
          expect(b.byteLength).toBe(Buffer.byteLength(b.body));
          if (b.entries.length > 1) expect(b.byteLength).toBeLessThanOrEqual(maxBytes);
          const doc = JSON.parse(b.body);
          expect(doc).toEqual(b.document);
          expect(doc.messages.map((m: { messageId: number }) => m.messageId)).toEqual(b.entries.map((_, i) => i + 1));
          expect(doc.messages.map((m: { sku: string }) => m.sku)).toEqual(b.entries.map((e) => e.sku));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never puts more than 25,000 messages in one feed', () => {
    const entries = Array.from({ length: MAX_FEED_MESSAGES + 1 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
    expect(splitQuantityFeed('SELLER', entries).map((b) => b.entries.length)).toEqual([MAX_FEED_MESSAGES, 1]);
  });

  it('builds the PATCH merge message of domain.md', () => {
    expect(quantityMessage(3, { sku: 'A', quantity: 5 })).toEqual({
      messageId: 3,
      sku: 'A',
      operationType: 'PATCH',
      productType: 'PRODUCT',
      patches: [{ op: 'merge', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity: 5 }] }],
    });
    expect(() => quantityMessage(1, { sku: 'A', quantity: -1 })).toThrow(RangeError);
    expect(() => quantityMessage(1, { sku: 'A', quantity: 1.5 })).toThrow(RangeError);
  });
});

describe('parseProcessingReport', () => {
  it('rejects messages with an ERROR, accepts WARNING-only and silent ones, keeps feed-level issues apart', () => {
    const parsed = parseProcessingReport(
      {
        header: { sellerId: 'S', version: '2.0', feedId: '42' },
        issues: [
          { messageId: 1, sku: 'A', code: '1', severity: 'WARNING', message: 'w' },
          { messageId: 2, sku: 'B', code: '2', severity: 'ERROR', message: 'e' },
          { messageId: 2, sku: 'B', code: '3', severity: 'WARNING', message: 'w2' },
          { code: '4', severity: 'ERROR', message: 'feed' },
        ],
        summary: { errors: 2, warnings: 2, messagesProcessed: 3, messagesAccepted: 2, messagesInvalid: 1 },
      },
      [1, 2, 3],
    );
    expect(parsed.feedId).toBe('42');
    expect([...parsed.results.values()].map((r) => [r.messageId, r.status, r.issues.length])).toEqual([
      [1, 'accepted', 1],
      [2, 'rejected', 2],
      [3, 'accepted', 0],
    ]);
    expect(parsed.feedIssues).toHaveLength(1);
  });
});
