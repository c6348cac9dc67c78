import { JsonLogger } from './json-logger';
import { Redactor, redactor } from './redactor';

describe('Redactor', () => {
  it('redacts fields named like secrets and registered secret values anywhere', () => {
    const r = new Redactor();
    r.addSecret('super-secret-refresh-token');
    const out = r.redact({
      credentials: { clientId: 'id', clientSecret: 'abc' },
      refreshToken: 'zzz',
      note: 'token was super-secret-refresh-token!',
      nested: [{ message: 'Atza|super-secret-refresh-token' }],
      syncInventory: true,
    }) as Record<string, unknown>;
    const text = JSON.stringify(out);
    expect(text).not.toContain('super-secret-refresh-token');
    expect(text).not.toContain('zzz');
    expect(out['credentials']).toBe('[REDACTED]');
    expect(out['syncInventory']).toBe(true);
  });

  it('keeps registered secrets out of the JSON log lines', () => {
    const lines: string[] = [];
    redactor.addSecret('client-secret-value-123');
    const log = new JsonLogger('debug', (l) => lines.push(l));
    log.error(new Error('LWA refused client-secret-value-123'), 'Test');
    log.write('info', 'calling', ['Ctx'], { authorization: 'Bearer abc', url: 'https://x/?s=client-secret-value-123' });
    expect(lines.join('\n')).not.toContain('client-secret-value-123');
    expect(lines.join('\n')).not.toContain('Bearer abc');
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ level: 'error', context: 'Test' });
  });

  it('drops messages below the configured level', () => {
    const lines: string[] = [];
    const log = new JsonLogger('warn', (l) => lines.push(l));
    log.log('hello');
    log.debug('dbg');
    log.warn('careful');
    expect(lines).toHaveLength(1);
  });
});
