import type { JsonLogger } from '../logging/json-logger';
import { currentPluginId } from '../plugins/plugin-scope';

export interface ProcessSafetyOptions {
  logger: JsonLogger;
  /** Fails a plugin after a stray error of its own; false when no such plugin is loaded (yet). */
  failPlugin: (pluginId: string, error: unknown) => boolean;
  /** The host's own uncaught exception: its state is unknown, so it stops (a supervisor restarts it). */
  onFatal: (error: unknown) => void;
  /** The process to watch (tests pass an emitter). */
  proc?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/**
 * Process-level safety net. An unhandled rejection or uncaught exception is logged as a JSON line
 * (secrets redacted by the logger). One traced to a plugin (it runs in the plugin's async scope:
 * activation, a job, a timer or promise the plugin started) fails that plugin and the host keeps
 * serving. The host's own unhandled rejection is logged and serving goes on (no stack was unwound
 * mid-operation); its own uncaught exception is fatal. Returns the uninstaller.
 */
export function installProcessSafety(opts: ProcessSafetyOptions): () => void {
  const proc = opts.proc ?? process;
  const handle = (kind: 'unhandledRejection' | 'uncaughtException') => (error: unknown) => {
    const plugin = currentPluginId();
    const what = kind === 'unhandledRejection' ? 'Unhandled promise rejection' : 'Uncaught exception';
    const err = error instanceof Error ? error : new Error(typeof error === 'string' ? error : JSON.stringify(error) ?? String(error));
    if (plugin !== undefined && opts.failPlugin(plugin, err)) {
      opts.logger.write('error', `${what} in plugin "${plugin}": ${err.message}; the plugin is failed, the host goes on`, ['Process'], { event: kind, plugin, err });
      return;
    }
    const fatal = kind === 'uncaughtException';
    opts.logger.write('error', `${what} in the host: ${err.message}${fatal ? '; stopping' : ''}`, ['Process'], { event: kind, ...(plugin ? { plugin } : {}), err });
    if (fatal) opts.onFatal(err);
  };
  const onRejection = handle('unhandledRejection');
  const onException = handle('uncaughtException');
  proc.on('unhandledRejection', onRejection);
  proc.on('uncaughtException', onException);
  return () => {
    proc.off('unhandledRejection', onRejection);
    proc.off('uncaughtException', onException);
  };
}
