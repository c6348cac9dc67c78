/**
 * The version of the inventory-sync plugin contract this package describes.
 * A plugin states the range it was built against in `manifest.engines['inventory-sync']`;
 * the host refuses a plugin whose range this version does not satisfy.
 *
 * Semver rules for the contract: a new optional member is a minor bump, anything a
 * plugin could observe breaking is a major bump.
 */
export const INVENTORY_SYNC_API_VERSION = '1.4.0';

/** The key under `manifest.engines` that names the contract range. */
export const INVENTORY_SYNC_ENGINE = 'inventory-sync';
