import type { ChannelProvider, Disposable, JobHandler, PluginManifest, PluginModule, PluginPackage } from '@invsync/plugin-api';
import type { PluginSource } from './plugin-source';

export type PluginState = 'inactive' | 'activating' | 'active' | 'failed';

/** The host's bookkeeping for one plugin package. */
export interface PluginRecord {
  readonly pkg: PluginPackage;
  readonly manifest: PluginManifest;
  /** Undefined for packages handed to the host directly (built-in lists, test fixtures). */
  readonly source?: PluginSource;
  /** Set when the manifest was rejected: the plugin's code is never loaded. */
  readonly rejected?: string[];
  state: PluginState;
  error?: string;
  /** Set when an unhandled rejection or uncaught exception was traced to the plugin. */
  strayError?: string;
  activatedAt?: string;
  module?: PluginModule;
  subscriptions: Disposable[];
  activation?: Promise<void>;
  readonly channelProviders: Map<string, ChannelProvider<object>>;
  readonly jobHandlers: Map<string, JobHandler>;
}
