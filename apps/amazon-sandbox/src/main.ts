// The app is the sandbox lib's runner: it only starts it.
import { startAmazonSandbox } from '@invsync/amazon-sandbox';
import { sandboxOptionsFromEnv } from './sandbox-env';

async function main(): Promise<void> {
  const options = sandboxOptionsFromEnv(process.env);
  const sandbox = await startAmazonSandbox(options);
  const seeded = options.seed === 'demo' ? ' (demo seller A1DEMOSELLER seeded)' : '';
  console.log(`Amazon SP-API sandbox listening on ${sandbox.url}${seeded}`);
  console.log(`  LWA token endpoint: ${sandbox.url}/auth/o2/token   admin: ${sandbox.url}/_sandbox/health`);
  const stop = async (signal: string) => {
    console.log(`Amazon SP-API sandbox stopping (${signal})`);
    await sandbox.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`Amazon SP-API sandbox failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
