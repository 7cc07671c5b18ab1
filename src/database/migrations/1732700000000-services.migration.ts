import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The clearing-house outbox and the local audit log of IDS exchanges. */
export class Services1732700000000 implements MigrationInterface {
  name = 'Services1732700000000';

  async up(runner: QueryRunner): Promise<void> {
    const seq = { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    await runner.createTable(
      new Table({
        name: 'clearing_house_outbox',
        columns: [
          seq,
          { name: 'id', type: 'varchar', length: '36', isUnique: true },
          { name: 'pid', type: 'varchar', length: '64' },
          { name: 'kind', type: 'varchar', length: '8' },
          { name: 'body', type: 'text' },
          { name: 'status', type: 'varchar', length: '10', default: "'pending'" },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'next_attempt', type: 'varchar', length: '32' },
          { name: 'last_error', type: 'text', isNullable: true },
          { name: 'receipt', type: 'text', isNullable: true },
          { name: 'created', type: 'varchar', length: '32' },
          { name: 'delivered', type: 'varchar', length: '32', isNullable: true },
        ],
        indices: [{ columnNames: ['status', 'seq'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          seq,
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'direction', type: 'varchar', length: '8' },
          { name: 'message_type', type: 'varchar', length: '128' },
          { name: 'message_id', type: 'varchar', length: '512', isNullable: true },
          { name: 'peer', type: 'varchar', length: '1024', isNullable: true },
          { name: 'reply_type', type: 'varchar', length: '128', isNullable: true },
          { name: 'outcome', type: 'text', isNullable: true },
          { name: 'transport', type: 'varchar', length: '16' },
          { name: 'transfer_contract', type: 'varchar', length: '512', isNullable: true },
        ],
        indices: [{ columnNames: ['at'] }, { columnNames: ['message_type'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('audit_log');
    await runner.dropTable('clearing_house_outbox');
  }
}
