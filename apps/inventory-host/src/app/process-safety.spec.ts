import { EventEmitter } from 'node:events';
import { JsonLogger } from '../logging/json-logger';
import { redactor } from '../logging/redactor';
import { runAsPlugin } from '../plugins/plugin-scope';
import { installProcessSafety } from './process-safety';

describe('process safety', () => {
  function setup(knownPlugins: string[]) {
    const proc = new EventEmitter();
    const lines: Record<string, unknown>[] = [];
    const failed: string[] = [];
    const fatal: unknown[] = [];
    const uninstall = installProcessSafety({
      logger: new JsonLogger('info', (l) => lines.push(JSON.parse(l))),
      failPlugin: (id) => knownPlugins.includes(id) && failed.push(id) > 0,
      onFatal: (e) => fatal.push(e),
      proc: proc as unknown as NodeJS.Process,
    });
    return { proc, lines, failed, fatal, uninstall };
  }

  it("fails the plugin whose scope raised it, for rejections and exceptions alike, and stops nothing", () => {
    const s = setup(['p1']);
    runAsPlugin('p1', () => s.proc.emit('unhandledRejection', new Error('boom')));
    runAsPlugin('p1', () => s.proc.emit('uncaughtException', new Error('bang')));
    expect(s.failed).toEqual(['p1', 'p1']);
    expect(s.fatal).toEqual([]);
    expect(s.lines).toEqual([
      expect.objectContaining({ level: 'error', event: 'unhandledRejection', plugin: 'p1', err: expect.objectContaining({ message: 'boom' }) }),
      expect.objectContaining({ level: 'error', event: 'uncaughtException', plugin: 'p1', err: expect.objectContaining({ message: 'bang' }) }),
    ]);
  });

  it("logs the host's own rejection and serves on; its own uncaught exception (or an unknown plugin's) is fatal", () => {
    const s = setup([]);
    s.proc.emit('unhandledRejection', 'a string reason');
    expect(s.fatal).toEqual([]);
    s.proc.emit('uncaughtException', new Error('host bug'));
    runAsPlugin('gone', () => s.proc.emit('uncaughtException', new Error('unknown plugin')));
    expect(s.fatal).toHaveLength(2);
    expect(s.lines.map((l) => l['msg'])).toEqual([
      'Unhandled promise rejection in the host: a string reason',
      'Uncaught exception in the host: host bug; stopping',
      'Uncaught exception in the host: unknown plugin; stopping',
    ]);
  });

  it('redacts secrets in the logged error, and uninstalls', () => {
    const s = setup(['p1']);
    redactor.addSecret('super-secret-value-42');
    runAsPlugin('p1', () => s.proc.emit('unhandledRejection', new Error('leaked super-secret-value-42')));
    expect(JSON.stringify(s.lines)).not.toContain('super-secret-value-42');
    s.uninstall();
    expect(s.proc.listenerCount('unhandledRejection') + s.proc.listenerCount('uncaughtException')).toBe(0);
  });
});
