import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Results delivery: subscriptions (both sides), the delivery outbox, notifications received. */
export class Delivery1733000000000 implements MigrationInterface {
  name = 'Delivery1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    const iri = (name: string, isNullable = false): { name: string; type: string; length: string; isNullable: boolean } => ({
      name,
      type: 'varchar',
      length: '512',
      isNullable,
    });
    const url = (name: string, isNullable = false): { name: string; type: string; length: string; isNullable: boolean } => ({
      name,
      type: 'varchar',
      length: '2048',
      isNullable,
    });
    const time = (name: string, isNullable = false): { name: string; type: string; length: string; isNullable: boolean } => ({
      name,
      type: 'varchar',
      length: '32',
      isNullable,
    });
    await runner.createTable(
      new Table({
        name: 'subscriptions',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'side', type: 'varchar', length: '16' },
          { name: 'channel', type: 'varchar', length: '16' },
          iri('target'),
          url('location'),
          iri('subscriber'),
          { name: 'push_data', type: 'boolean' },
          { name: 'title', type: 'text', isNullable: true },
          { name: 'description', type: 'text', isNullable: true },
          iri('agreement_iri', true),
          iri('subscriber_subject', true),
          { name: 'security_profile', type: 'varchar', length: '128', isNullable: true },
          iri('request_id', true),
          iri('peer', true),
          url('remote_url', true),
          url('webhook', true),
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'reason', type: 'text', isNullable: true },
          time('failing_since', true),
          { name: 'delivered', type: 'integer' },
          { name: 'denied', type: 'integer' },
          time('last_delivered', true),
          time('created'),
        ],
        indices: [{ columnNames: ['target'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'deliveries',
        columns: [
          { name: 'seq', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'id', type: 'varchar', length: '36', isUnique: true },
          { name: 'subscription_id', type: 'varchar', length: '36' },
          { name: 'kind', type: 'varchar', length: '16' },
          iri('resource_iri'),
          iri('artifact_iri', true),
          { name: 'body', type: 'text', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'granted', type: 'boolean' },
          { name: 'attempts', type: 'integer' },
          time('next_attempt'),
          { name: 'last_error', type: 'text', isNullable: true },
          time('created'),
          time('delivered_at', true),
        ],
        indices: [{ columnNames: ['subscription_id', 'status', 'seq'] }],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'received_notifications',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { ...iri('message_id'), isUnique: true },
          { name: 'subscription_id', type: 'varchar', length: '36' },
          iri('provider'),
          iri('resource_iri'),
          iri('artifact_iri', true),
          iri('agreement_iri', true),
          { name: 'received_artifact_id', type: 'varchar', length: '36', isNullable: true },
          time('received'),
        ],
        indices: [{ columnNames: ['subscription_id'] }],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['received_notifications', 'deliveries', 'subscriptions']) await runner.dropTable(table);
  }
}
