import { Table, TableForeignKey, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The edge store's own database (a SQLite file beside its segment files, whatever FEP_DATABASE_URL says): KHz data
 * stays on the node, and its batch writes never queue behind, or ahead of, the connector's own transactions.
 */
export class EdgeStore1732900000001 implements MigrationInterface {
  name = 'EdgeStore1732900000001';

  async up(runner: QueryRunner): Promise<void> {
    const app = { name: 'app', type: 'varchar', length: '64' };
    await runner.createTable(
      new Table({
        name: 'edge_segments',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          app,
          { name: 'file', type: 'varchar', length: '255' },
          { name: 'bytes', type: 'bigint' },
          { name: 'first_ms', type: 'bigint', isNullable: true },
          { name: 'last_ms', type: 'bigint', isNullable: true },
          { name: 'created', type: 'varchar', length: '32' },
        ],
        indices: [{ columnNames: ['app', 'id'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'edge_windows',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          app,
          { name: 'asset', type: 'varchar', length: '128' },
          { name: 'channel', type: 'varchar', length: '128' },
          { name: 'start_ms', type: 'bigint' },
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'samples', type: 'integer' },
          { name: 'sample_rate', type: 'double precision' },
          { name: 'missing', type: 'integer' },
          { name: 'indicators', type: 'text' },
          { name: 'segment_id', type: 'integer', isNullable: true },
          { name: 'frame_offset', type: 'bigint', isNullable: true },
          { name: 'frame_length', type: 'integer', isNullable: true },
        ],
        indices: [{ columnNames: ['app', 'asset', 'start_ms'] }, { columnNames: ['segment_id'] }, { columnNames: ['start_ms'] }],
      }),
    );
    // Raw bytes go with their segment; the indicator row stays (until its own retention) without them.
    await runner.createForeignKey(
      'edge_windows',
      new TableForeignKey({
        columnNames: ['segment_id'],
        referencedTableName: 'edge_segments',
        referencedColumnNames: ['id'],
        onDelete: 'SET NULL',
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('edge_windows');
    await runner.dropTable('edge_segments');
  }
}

/** The edge store's migrations, in order. */
export const EDGE_MIGRATIONS = [EdgeStore1732900000001];
