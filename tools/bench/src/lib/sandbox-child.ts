import type { AmazonSandboxOptions } from '@invsync/amazon-sandbox';
import { fork } from 'node:child_process';
import { resolve } from 'node:path';

/** What the bench passes to the sandbox process (JSON, as its one argument). */
export type SandboxProcessOptions = Pick<AmazonSandboxOptions, 'port' | 'rateLimits' | 'feedProcessingDelayMs' | 'reportProcessingDelayMs'>;

/** The sandbox process's one IPC message: it listens at `url`. */
export interface SandboxReady {
  type: 'ready';
  url: string;
}

export interface SandboxProcess {
  url: string;
  pid: number;
  /** Kills the process and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Starts the SP-API sandbox in a child process (src/sandbox-process.ts, through the same ts-node
 * registration as run.js): Amazon must not share the host's event loop, or its feed and report work
 * pauses the host under test. The child is killed on close() and when this process exits; if this
 * process dies without exiting cleanly, the IPC channel closes and the child ends itself.
 */
export function forkSandbox(options: SandboxProcessOptions): Promise<SandboxProcess> {
  const child = fork(resolve(__dirname, '../sandbox-process.ts'), [JSON.stringify(options)], {
    execArgv: ['--require', resolve(__dirname, '../../register.js')],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const killOnExit = () => child.kill();
  process.on('exit', killOnExit);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => process.off('exit', killOnExit));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  return new Promise((ok, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`the sandbox process exited (${signal ?? code}) before it was ready`)));
    child.once('message', (m: SandboxReady) => ok({ url: m.url, pid: child.pid as number, close }));
  });
}
