import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';

/** Host tables: plugin state, job settings, job runs. Table API only, so it runs on SQLite and PostgreSQL. */
export class HostInit1764100000000 implements MigrationInterface {
  name = 'HostInit1764100000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createTable(
      new Table({
        name: 'plugin_state',
        columns: [
          { name: 'plugin_id', type: 'varchar', length: '100', isPrimary: true },
          { name: 'key', type: 'varchar', length: '200', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'job_setting',
        columns: [
          { name: 'name', type: 'varchar', length: '200', isPrimary: true },
          { name: 'cron', type: 'varchar', length: '100', isNullable: true },
          { name: 'enabled', type: 'boolean' },
          { name: 'updated_at', type: 'varchar', length: '32' },
        ],
      }),
    );
    await qr.createTable(
      new Table({
        name: 'job_run',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'job_name', type: 'varchar', length: '200' },
          { name: 'trigger', type: 'varchar', length: '20' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'started_at', type: 'varchar', length: '32' },
          { name: 'finished_at', type: 'varchar', length: '32', isNullable: true },
          { name: 'summary', type: 'text', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
          { name: 'progress_done', type: 'integer', isNullable: true },
          { name: 'progress_total', type: 'integer', isNullable: true },
          { name: 'instance_id', type: 'varchar', length: '100' },
        ],
      }),
    );
    await qr.createIndex('job_run', new TableIndex({ name: 'idx_job_run_job_started', columnNames: ['job_name', 'started_at'] }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('job_run');
    await qr.dropTable('job_setting');
    await qr.dropTable('plugin_state');
  }
}
