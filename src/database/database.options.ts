import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { ConnectorConfig } from '../config/connector.config.js';
import { ArtifactEntity } from '../resources/entities/artifact.entity.js';
import { CatalogEntity } from '../resources/entities/catalog.entity.js';
import { ContractOfferEntity } from '../resources/entities/contract-offer.entity.js';
import { RepresentationEntity } from '../resources/entities/representation.entity.js';
import { ResourceEntity } from '../resources/entities/resource.entity.js';
import { Catalog1732400000000 } from './migrations/1732400000000-catalog.migration.js';
import { Exchange1732500000000 } from './migrations/1732500000000-exchange.migration.js';
import { AgreementEntity } from '../contracts/entities/agreement.entity.js';
import { ConsumerAgreementEntity } from '../consumer/entities/consumer-agreement.entity.js';
import { ReceivedArtifactEntity } from '../consumer/entities/received-artifact.entity.js';
import { Usage1732600000000 } from './migrations/1732600000000-usage.migration.js';
import { UsageAgreementEntity } from '../usage/entities/usage-agreement.entity.js';
import { UsageCounterEntity } from '../usage/entities/usage-counter.entity.js';
import { UsageLogEntity } from '../usage/entities/usage-log.entity.js';
import { Services1732700000000 } from './migrations/1732700000000-services.migration.js';
import { OutboxRecordEntity } from '../clearing-house/entities/outbox-record.entity.js';
import { AuditEventEntity } from '../audit/entities/audit-event.entity.js';
import { Replay1732800000000 } from './migrations/1732800000000-replay.migration.js';
import { SeenMessageEntity } from '../daps/entities/seen-message.entity.js';

/** Entities and migrations are listed, not globbed: ESM has no require-based discovery, and lists are explicit. */
export const ENTITIES = [CatalogEntity, ResourceEntity, RepresentationEntity, ArtifactEntity, ContractOfferEntity, AgreementEntity, ConsumerAgreementEntity, ReceivedArtifactEntity, UsageCounterEntity, UsageLogEntity, UsageAgreementEntity, OutboxRecordEntity, AuditEventEntity, SeenMessageEntity];
export const MIGRATIONS = [Catalog1732400000000, Exchange1732500000000, Usage1732600000000, Services1732700000000, Replay1732800000000];

/** SQLite file in the data dir by default (WAL: readers never wait for the writer); PostgreSQL by URL. */
export function dataSourceOptions(storage: ConnectorConfig['storage']): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: ['error'] as const };
  if (storage.databaseUrl !== undefined) {
    return { ...common, type: 'postgres', url: storage.databaseUrl, logging: ['error'] };
  }
  return {
    ...common,
    type: 'sqlite',
    database: join(storage.dataDir, 'fep.sqlite'),
    enableWAL: true,
    busyTimeout: 5000,
    logging: ['error'],
  };
}
