import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/host-config';
import { createApp } from './app/create-app';
import { builtInPlugins } from './plugins/built-in-plugins';
import { discoverPlugins } from './plugins/plugin-discovery';
import { JsonLogger } from './logging/json-logger';
import { InstanceLockError } from './database/sqlite-instance-lock';
import { installProcessSafety } from './app/process-safety';
import { PluginHostService } from './plugins/plugin-host.service';

async function main() {
  let config;
  try {
    config = loadConfig(process.env, {
      onSecretsGenerated: (token, file) => {
        // Printed once, on purpose, straight to the terminal (not through the redacting logger).
        process.stderr.write(
          `\n  First run: generated an admin token and a secrets key, stored in ${file} (mode 0600).\n` +
            `  Admin token (shown once): ${token}\n` +
            `  Sign in to the admin console at http://localhost:${process.env['PORT'] || 3000}/ with it, or use it as:\n` +
            `  curl -H "Authorization: Bearer <token>" http://localhost:${process.env['PORT'] || 3000}/api/v1/plugins\n` +
            `  Production: set ADMIN_TOKEN and SECRETS_KEY yourself.\n\n`,
        );
      },
    });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const logger = new JsonLogger(config.logLevel);
  // Set once created: the process handlers below are installed before, to cover the start too.
  const host: { app?: Awaited<ReturnType<typeof createApp>> } = {};
  // Graceful shutdown: stop jobs, finish in-flight work, deactivate plugins, close the database,
  // then exit (a second signal while stopping exits at once).
  let stopping = false;
  const stop = (exitCode: number) => {
    if (!host.app) process.exit(exitCode);
    host.app
      .close()
      .then(() => process.exit(exitCode))
      .catch((e) => {
        process.stderr.write(`Shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      });
  };
  installProcessSafety({
    logger,
    failPlugin: (pluginId, error) => host.app?.get(PluginHostService).failFromStrayError(pluginId, error) ?? false,
    onFatal: () => {
      if (stopping) process.exit(70);
      stopping = true;
      // A shutdown stuck on the broken state must not keep a dead host around.
      setTimeout(() => process.exit(70), 10_000).unref();
      stop(70); // EX_SOFTWARE
    },
  });
  const app = (host.app = await createApp({ config, plugins: discoverPlugins(config, builtInPlugins), logger }));
  // Installed before the server listens, so a signal right after the "listening" line is handled.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) process.exit(130);
      stopping = true;
      logger.write('info', `Shutting down on ${signal}`, ['Main']);
      stop(0);
    });
  }
  await app.listen(config.port, config.host);
  const port = (app.getHttpServer().address() as { port: number }).port;
  logger.write('info', `Inventory-sync host listening on http://${config.host}:${port} (admin console at /, API docs at /docs)`, ['Main'], {
    port,
    database: config.database.type,
  });
}

main().catch((e) => {
  if (e instanceof InstanceLockError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(75); // EX_TEMPFAIL
  }
  process.stderr.write(`Fatal: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
