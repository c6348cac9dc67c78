import { INVENTORY_SYNC_API_VERSION, toDisposable } from '../index';
import * as semver from 'semver';

describe('plugin-api', () => {
  it('carries a semantic contract version', () => {
    expect(semver.valid(INVENTORY_SYNC_API_VERSION)).toBe(INVENTORY_SYNC_API_VERSION);
  });

  it('toDisposable runs its clean-up once', async () => {
    let n = 0;
    const d = toDisposable(() => void n++);
    await d.dispose();
    await d.dispose();
    expect(n).toBe(1);
  });
});
