import { sendOutcome } from './delivery-confirmer';

const now = new Date('2026-01-01T00:00:00.000Z');
const ctx = { canConfirm: true, now, confirmTimeoutMs: 60_000, retryBaseMs: 1000, retryCapMs: 8000 };
const at = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('sendOutcome', () => {
  const send = { quantity: 5, attempts: 2 };

  it('keeps a receipt for confirmation only when the channel can confirm, and holds only when asked', () => {
    expect(sendOutcome({ updateId: 'u', status: 'synced' }, send, ctx)).toEqual({ kind: 'synced', quantity: 5 });
    expect(sendOutcome({ updateId: 'u', status: 'accepted', receipt: 'r' }, send, ctx)).toEqual({ kind: 'accepted', quantity: 5, receipt: 'r', holdUntil: null });
    expect(sendOutcome({ updateId: 'u', status: 'accepted', receipt: 'r', holdUntilConfirmed: true }, send, ctx)).toEqual({ kind: 'accepted', quantity: 5, receipt: 'r', holdUntil: at(60_000) });
    expect(sendOutcome({ updateId: 'u', status: 'accepted', receipt: 'r', holdUntilConfirmed: true }, send, { ...ctx, canConfirm: false })).toEqual({
      kind: 'accepted',
      quantity: 5,
      receipt: null,
      holdUntil: null,
    });
  });

  it('records a refusal with its message', () => {
    expect(sendOutcome({ updateId: 'u', status: 'rejected' }, send, ctx)).toEqual({ kind: 'rejected', quantity: 5, message: 'rejected by the channel' });
  });

  it('retries after the jittered backoff of the next attempt, or the channel Retry-After when longer', () => {
    // Third attempt: ceiling 4 s, so 2 to 4 s.
    expect(sendOutcome({ updateId: 'u', status: 'retry', message: 'busy' }, send, { ...ctx, random: () => 0 })).toEqual({ kind: 'retry', quantity: 5, message: 'will retry: busy', nextAttemptAt: at(2000) });
    expect(sendOutcome({ updateId: 'u', status: 'retry' }, send, { ...ctx, random: () => 1 })).toMatchObject({ message: 'will retry: temporary failure', nextAttemptAt: at(4000) });
    expect(sendOutcome({ updateId: 'u', status: 'retry', retryAfterMs: 30_000 }, send, ctx)).toMatchObject({ nextAttemptAt: at(30_000) });
  });
});
