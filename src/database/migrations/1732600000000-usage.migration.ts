import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Usage control: counters, the usage log, Platoon-API agreements, the deletion deadline of received data, the consumer's DAT subject. */
export class Usage1732600000000 implements MigrationInterface {
  name = 'Usage1732600000000';

  async up(runner: QueryRunner): Promise<void> {
    const side = { name: 'side', type: 'varchar', length: '8' };
    const agreement = { name: 'agreement_iri', type: 'varchar', length: '512' };
    const target = { name: 'target', type: 'varchar', length: '512' };
    await runner.createTable(
      new Table({
        name: 'usage_counters',
        columns: [
          { ...side, isPrimary: true },
          { ...agreement, isPrimary: true },
          { ...target, isPrimary: true },
          { name: 'uses', type: 'integer', default: 0 },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'usage_log',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          side,
          agreement,
          target,
          { name: 'consumer', type: 'varchar', length: '512' },
          { name: 'permitted', type: 'boolean' },
          { name: 'log_duty', type: 'boolean', default: false },
          { name: 'reasons', type: 'text' },
          { name: 'at', type: 'varchar', length: '32' },
        ],
        indices: [{ columnNames: ['agreement_iri'] }, { columnNames: ['at'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'usage_agreements',
        columns: [
          { name: 'iri', type: 'varchar', length: '512', isPrimary: true },
          { name: 'document', type: 'text' },
          { name: 'created', type: 'varchar', length: '32' },
          { name: 'modified', type: 'varchar', length: '32' },
        ],
      }),
    );
    await runner.addColumn(
      'contract_agreements',
      new TableColumn({ name: 'consumer_subject', type: 'varchar', length: '512', isNullable: true }),
    );
    await runner.addColumn('received_artifacts', new TableColumn({ name: 'delete_at', type: 'varchar', length: '32', isNullable: true }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropColumn('received_artifacts', 'delete_at');
    await runner.dropColumn('contract_agreements', 'consumer_subject');
    for (const table of ['usage_agreements', 'usage_log', 'usage_counters']) await runner.dropTable(table);
  }
}
