import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bounded delivery: a subscription counts what it dropped for lack of room (FEP_DELIVERY_MAX_PENDING) and the dead
 * letters its receiver refused for good, and the retention pass finds finished deliveries by age.
 */
export class DeliveryBounds1733100000000 implements MigrationInterface {
  name = 'DeliveryBounds1733100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.addColumn('subscriptions', new TableColumn({ name: 'dropped', type: 'integer', default: 0 }));
    await runner.addColumn('subscriptions', new TableColumn({ name: 'dead_letters', type: 'integer', default: 0 }));
    await runner.createIndex('deliveries', new TableIndex({ name: 'IDX_deliveries_status_created', columnNames: ['status', 'created'] }));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropIndex('deliveries', new TableIndex({ name: 'IDX_deliveries_status_created', columnNames: ['status', 'created'] }));
    await runner.dropColumn('subscriptions', 'dead_letters');
    await runner.dropColumn('subscriptions', 'dropped');
  }
}
