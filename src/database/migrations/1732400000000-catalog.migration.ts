import { Table, TableForeignKey, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/** The catalog tables. Written with the QueryRunner's table API so one migration serves SQLite and PostgreSQL. */
const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const iri: TableColumnOptions = { name: 'iri', type: 'varchar', length: '512', isUnique: true };
const stamps: TableColumnOptions[] = [
  { name: 'created', type: 'varchar', length: '32' },
  { name: 'modified', type: 'varchar', length: '32' },
];

function child(name: string, parentColumn: string, parentTable: string, columns: TableColumnOptions[]): [Table, TableForeignKey] {
  return [
    new Table({
      name,
      columns: [id, iri, { name: parentColumn, type: 'varchar', length: '36' }, ...columns, ...stamps],
      indices: [{ columnNames: [parentColumn] }],
    }),
    new TableForeignKey({
      columnNames: [parentColumn],
      referencedTableName: parentTable,
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    }),
  ];
}

export class Catalog1732400000000 implements MigrationInterface {
  name = 'Catalog1732400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.createTable(
      new Table({
        name: 'catalogs',
        columns: [
          id,
          iri,
          { name: 'title', type: 'text', isNullable: true },
          { name: 'description', type: 'text', isNullable: true },
          ...stamps,
        ],
      }),
    );
    const tables = [
      child('resources', 'catalog_id', 'catalogs', [
        { name: 'type', type: 'varchar', length: '64' },
        { name: 'title', type: 'text' },
        { name: 'description', type: 'text', isNullable: true },
        { name: 'keywords', type: 'text' },
        { name: 'languages', type: 'text' },
        { name: 'publisher', type: 'varchar', length: '512', isNullable: true },
        { name: 'sovereign', type: 'varchar', length: '512', isNullable: true },
        { name: 'license', type: 'varchar', length: '512', isNullable: true },
        { name: 'version', type: 'varchar', length: '64', isNullable: true },
      ]),
      child('representations', 'resource_id', 'resources', [
        { name: 'type', type: 'varchar', length: '64' },
        { name: 'media_type', type: 'varchar', length: '255', isNullable: true },
        { name: 'language', type: 'varchar', length: '16', isNullable: true },
      ]),
      child('artifacts', 'representation_id', 'representations', [
        { name: 'file_name', type: 'varchar', length: '255', isNullable: true },
        { name: 'byte_size', type: 'bigint', isNullable: true },
        { name: 'checksum', type: 'varchar', length: '64', isNullable: true },
        { name: 'creation_date', type: 'varchar', length: '32' },
        { name: 'source_type', type: 'varchar', length: '16' },
        { name: 'source_location', type: 'text', isNullable: true },
      ]),
      child('contract_offers', 'resource_id', 'resources', [{ name: 'document', type: 'text' }]),
    ];
    for (const [table, foreignKey] of tables) {
      table.foreignKeys = [foreignKey];
      await runner.createTable(table);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['contract_offers', 'artifacts', 'representations', 'resources', 'catalogs']) await runner.dropTable(table);
  }
}
