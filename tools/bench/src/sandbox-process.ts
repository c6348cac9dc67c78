// The SP-API sandbox in a process of its own, forked by the bench (lib/sandbox-child.ts): "Amazon"
// must not share the CPU time slice of the host under test. Options come as JSON in argv[2]; the URL
// goes back as one IPC message.
import { startAmazonSandbox } from '@invsync/amazon-sandbox';
import type { SandboxProcessOptions, SandboxReady } from './lib/sandbox-child';

// The bench closing the channel (it exited, crashed or was killed) ends the sandbox: nothing outlives
// the run, and the state is in memory only, so there is nothing to flush.
process.once('disconnect', () => process.exit(0));

async function main(): Promise<void> {
  if (!process.send) throw new Error('sandbox-process is started by the bench with child_process.fork (it reports over IPC)');
  const options = JSON.parse(process.argv[2] ?? '{}') as SandboxProcessOptions;
  const sandbox = await startAmazonSandbox(options);
  process.send({ type: 'ready', url: sandbox.url } satisfies SandboxReady);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
