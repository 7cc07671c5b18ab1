import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Inbound message ids for replay protection shared between instances (used on PostgreSQL). */
export class Replay1732800000000 implements MigrationInterface {
  name = 'Replay1732800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'seen_messages',
        columns: [
          { name: 'id', type: 'varchar', length: '512', isPrimary: true },
          { name: 'expires', type: 'bigint' },
        ],
        indices: [{ columnNames: ['expires'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('seen_messages');
  }
}
