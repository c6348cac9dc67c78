import { definePlugin } from '@invsync/plugin-api';
import { amazonFbaManifest } from './lib/manifest';

export { amazonFbaManifest, AMAZON_FBA_CHANNEL_TYPE, AMAZON_FBA_PLUGIN_ID, PULL_INVENTORY_JOB, DEFAULT_STALE_AFTER_MINUTES } from './lib/manifest';
export type { AmazonFbaSettings } from './lib/settings';

/** The Amazon FBA channel plugin: reads FBA quantities; never sends one. Code loads on first use. */
export const amazonFbaPlugin = definePlugin({
  manifest: amazonFbaManifest,
  load: () => import('./lib/activate').then((m) => m.amazonFbaModule),
});
