import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The deployable bundle; the host's test targets build it first. */
export const HOST_BUNDLE = resolve(__dirname, '../../../../dist/apps/inventory-host/main.js');

export interface HostProcess {
  proc: ChildProcess;
  /** JSON log lines (stdout). */
  stdout: string[];
  stderr: string[];
  /** The port from the "listening" line (LOG_LEVEL must be info or lower); rejects if the host exits first. */
  port: Promise<number>;
  exit: Promise<number | null>;
}

/**
 * Runs the built host as an operator does: `node main.js` with only the given environment (and PATH),
 * in `cwd` if given; `script` is the path node is given (default: the bundle's absolute path).
 */
export function spawnHost(env: Record<string, string>, opts: { cwd?: string; script?: string } = {}): HostProcess {
  if (!existsSync(HOST_BUNDLE)) throw new Error(`${HOST_BUNDLE} is missing: run "npx nx build inventory-host" (the test targets depend on it)`);
  const proc = spawn(process.execPath, [opts.script ?? HOST_BUNDLE], { cwd: opts.cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let resolvePort!: (p: number) => void;
  let rejectPort!: (e: Error) => void;
  const port = new Promise<number>((ok, fail) => ((resolvePort = ok), (rejectPort = fail)));
  // A test that only awaits `exit` must not see an unhandled rejection.
  port.catch(() => undefined);
  proc.stdout!.on('data', (b: Buffer) => {
    for (const line of b.toString().split('\n').filter(Boolean)) {
      stdout.push(line);
      try {
        const entry = JSON.parse(line);
        if (typeof entry.port === 'number') resolvePort(entry.port);
      } catch {
        /* not JSON */
      }
    }
  });
  proc.stderr!.on('data', (b: Buffer) => stderr.push(b.toString()));
  const exit = new Promise<number | null>((done) =>
    proc.on('exit', (code) => {
      rejectPort(new Error(`host exited (${code}) before listening: ${stderr.join('').slice(-2000)}`));
      done(code);
    }),
  );
  return { proc, stdout, stderr, port, exit };
}
