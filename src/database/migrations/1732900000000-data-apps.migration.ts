import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The data-app platform: each app's desired state and configuration, values it keeps across restarts, and its
 * outputs' history. (The edge store of raw windows has a database of its own: data-apps/store/edge.migrations.ts.)
 */
export class DataApps1732900000000 implements MigrationInterface {
  name = 'DataApps1732900000000';

  async up(runner: QueryRunner): Promise<void> {
    const seq = { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const app = { name: 'app', type: 'varchar', length: '64' };
    await runner.createTable(
      new Table({
        name: 'data_apps',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'desired', type: 'varchar', length: '16' },
          { name: 'config', type: 'text' },
          { name: 'updated', type: 'varchar', length: '32' },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'data_app_memory',
        columns: [
          { ...app, isPrimary: true },
          { name: 'key', type: 'varchar', length: '128', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'updated', type: 'varchar', length: '32' },
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'data_app_outputs',
        columns: [
          seq,
          app,
          { name: 'output', type: 'varchar', length: '64' },
          { name: 'key', type: 'varchar', length: '128', isNullable: true },
          { name: 'at', type: 'varchar', length: '32' },
          { name: 'value', type: 'text' },
        ],
        indices: [{ columnNames: ['app', 'output', 'seq'] }, { columnNames: ['app', 'output', 'key', 'seq'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['data_app_outputs', 'data_app_memory', 'data_apps']) {
      await runner.dropTable(table);
    }
  }
}
