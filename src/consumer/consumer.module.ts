import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { BlobStore } from '../resources/blob.store.js';
import { ConsumerController } from './consumer.controller.js';
import { ConsumerRepository } from './consumer.repository.js';
import { ConsumerService } from './consumer.service.js';
import { DataAppController } from './data-app.controller.js';
import { ProxyController } from './proxy.controller.js';
import { TrueProxyService } from './true-proxy.service.js';
import { DeletionSweeper } from './deletion.sweeper.js';
import { UsageModule } from '../usage/usage.module.js';

/** The consumer side: remote description, negotiation, artifact fetch; TRUE's proxy and data-app endpoints. */
@Module({
  imports: [UsageModule],
  controllers: [ConsumerController, ProxyController, DataAppController],
  providers: [
    { provide: ConsumerRepository, inject: [DataSource], useFactory: (ds: DataSource) => new ConsumerRepository(ds.manager) },
    // Received bytes live apart from the provider's own artifacts.
    { provide: BlobStore, inject: [CONNECTOR_CONFIG], useFactory: (c: ConnectorConfig) => new BlobStore(join(c.storage.dataDir, 'received')) },
    ConsumerService,
    TrueProxyService,
    DeletionSweeper,
  ],
})
export class ConsumerModule {}
