import { openTestDataSource, type TestDataSource } from '@invsync/domain-shared';
import { hostEntities, hostMigrations } from '../database/persistence';
import { JobSettingsStore } from './job-settings.store';

describe('JobSettingsStore', () => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await openTestDataSource({ engine: 'sqlite', entities: hostEntities, migrations: hostMigrations });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers no override (default cron, enabled) for a job never changed', () => {
    const store = new JobSettingsStore(t.ds);
    expect(store.cronOf('host.none')).toBeUndefined();
    expect(store.enabledOf('host.none')).toBe(true);
  });

  it('keeps the fields a patch leaves out, and persists the result', async () => {
    const store = new JobSettingsStore(t.ds);
    await store.save('host.a', { cron: '*/5 * * * *' });
    await store.save('host.a', { enabled: false });
    expect(store.cronOf('host.a')).toBe('*/5 * * * *');
    expect(store.enabledOf('host.a')).toBe(false);
    const fresh = new JobSettingsStore(t.ds);
    expect(await fresh.load()).toContain('host.a');
    expect(fresh.cronOf('host.a')).toBe('*/5 * * * *');
    expect(fresh.enabledOf('host.a')).toBe(false);
  });

  it('load() answers only the jobs changed elsewhere since the last load', async () => {
    const mine = new JobSettingsStore(t.ds);
    const other = new JobSettingsStore(t.ds);
    await mine.load();
    expect(await mine.load()).toEqual([]);
    await other.save('host.b', { enabled: false });
    await other.save('host.a', { cron: '0 3 * * *' });
    expect((await mine.load()).sort()).toEqual(['host.a', 'host.b']);
    expect(mine.cronOf('host.a')).toBe('0 3 * * *');
    expect(mine.enabledOf('host.b')).toBe(false);
    expect(await mine.load()).toEqual([]);
  });
});
