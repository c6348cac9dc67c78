import type { PluginPackage } from '@invsync/plugin-api';
import { amazonFbaPlugin } from '@invsync/amazon-fba';
import { amazonMfnPlugin } from '@invsync/amazon-mfn';
import { webhookPlugin } from '@invsync/webhook';

/**
 * The plugins shipped with the host. Adding a plugin = adding its package here (the channel-plugin
 * generator does it); the core never switches on a channel type.
 */
export const builtInPlugins: readonly PluginPackage[] = [amazonMfnPlugin, amazonFbaPlugin, webhookPlugin];
