import { catalogEntities, catalogMigrations } from '@invsync/domain-catalog';
import { orderEntities, orderMigrations } from '@invsync/domain-orders';
import { channelEntities, channelMigrations } from '@invsync/domain-channels';
import { stockEntities, stockMigrations } from '@invsync/domain-stock';
import type { MixedList } from 'typeorm';
import { JobRunEntity } from './entities/job-run.entity';
import { JobSettingEntity } from './entities/job-setting.entity';
import { PluginStateEntity } from './entities/plugin-state.entity';
import { HostInit1764100000000 } from './migrations/1764100000000-host-init';
import { JobRunSlot1764600000000 } from './migrations/1764600000000-job-run-slot';

// Every lib that persists something exports its entities and migrations; the host only lists them.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityClass = Function;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type MigrationClass = Function;

export const hostEntities: EntityClass[] = [PluginStateEntity, JobSettingEntity, JobRunEntity];
export const hostMigrations: MigrationClass[] = [HostInit1764100000000, JobRunSlot1764600000000];

export const allEntities: MixedList<EntityClass> = [...hostEntities, ...catalogEntities, ...stockEntities, ...channelEntities, ...orderEntities];
export const allMigrations: MixedList<MigrationClass> = [...hostMigrations, ...catalogMigrations, ...stockMigrations, ...channelMigrations, ...orderMigrations];
