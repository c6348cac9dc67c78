import { createHmac } from 'node:crypto';
import { signPayload, verifySignature } from './signature';

describe('webhook signature', () => {
  const secret = 'whsec-0123456789abcdef';
  const body = '{"channelId":"c1","updates":[]}';

  it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signPayload(secret, 1700000000, body)).toBe(`sha256=${expected}`);
    // A known vector, so a change of the scheme cannot go unnoticed by receivers' docs.
    expect(signPayload('secret', 1, '{}')).toBe(`sha256=${createHmac('sha256', 'secret').update('1.{}').digest('hex')}`);
  });

  it('verifies only the same secret, timestamp and body', () => {
    const sig = signPayload(secret, 1700000000, body);
    expect(verifySignature(secret, '1700000000', body, sig)).toBe(true);
    expect(verifySignature('another-secret-0123', 1700000000, body, sig)).toBe(false);
    expect(verifySignature(secret, 1700000001, body, sig)).toBe(false);
    expect(verifySignature(secret, 1700000000, `${body} `, sig)).toBe(false);
    expect(verifySignature(secret, 1700000000, body, 'sha256=00')).toBe(false);
  });
});
