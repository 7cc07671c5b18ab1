import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Agreements (provider and consumer side) and artifacts received as consumer. Portable table API. */
export class Exchange1732500000000 implements MigrationInterface {
  name = 'Exchange1732500000000';

  async up(runner: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const iri = { name: 'iri', type: 'varchar', length: '512', isUnique: true };
    const created = { name: 'created', type: 'varchar', length: '32' };
    await runner.createTable(
      new Table({
        name: 'contract_agreements',
        columns: [
          id,
          iri,
          { name: 'consumer', type: 'varchar', length: '512' },
          { name: 'targets', type: 'text' },
          { name: 'document', type: 'text' },
          { name: 'confirmed', type: 'boolean', default: false },
          created,
        ],
        indices: [{ columnNames: ['consumer'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'consumer_agreements',
        columns: [
          id,
          iri,
          { name: 'provider_url', type: 'varchar', length: '1024' },
          { name: 'provider', type: 'varchar', length: '512', isNullable: true },
          { name: 'targets', type: 'text' },
          { name: 'document', type: 'text' },
          created,
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'received_artifacts',
        columns: [
          id,
          { name: 'artifact_iri', type: 'varchar', length: '512' },
          { name: 'agreement_iri', type: 'varchar', length: '512', isNullable: true },
          { name: 'provider_url', type: 'varchar', length: '1024' },
          { name: 'path', type: 'text' },
          { name: 'byte_size', type: 'bigint' },
          { name: 'checksum', type: 'varchar', length: '64' },
          { name: 'media_type', type: 'varchar', length: '255', isNullable: true },
          { name: 'received', type: 'varchar', length: '32' },
        ],
        indices: [{ columnNames: ['artifact_iri'] }, { columnNames: ['agreement_iri'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['received_artifacts', 'consumer_agreements', 'contract_agreements']) await runner.dropTable(table);
  }
}
