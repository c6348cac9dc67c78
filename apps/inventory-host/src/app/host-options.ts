import type { PluginPackage } from '@invsync/plugin-api';
import type { HostConfig } from '../config/host-config';
import type { JsonLogger } from '../logging/json-logger';

/** Everything the host is started with; a class so it can be its own typed injection token. */
export abstract class HostOptions {
  abstract readonly config: HostConfig;
  /** The plugin packages the host may load (built-in ones, or fixtures in tests). */
  abstract readonly plugins: readonly PluginPackage[];
  abstract readonly logger: JsonLogger;
}
