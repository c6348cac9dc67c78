import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/** Job runs remember their scheduled slot, unique per job: several host instances run a slot once. */
export class JobRunSlot1764600000000 implements MigrationInterface {
  name = 'JobRunSlot1764600000000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('job_run', new TableColumn({ name: 'slot', type: 'varchar', length: '32', isNullable: true }));
    await qr.createIndex('job_run', new TableIndex({ name: 'uq_job_run_slot', columnNames: ['job_name', 'slot'], isUnique: true }));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('job_run', 'uq_job_run_slot');
    await qr.dropColumn('job_run', 'slot');
  }
}
