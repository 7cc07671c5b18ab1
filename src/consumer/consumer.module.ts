import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { ClearingHouseModule } from '../clearing-house/clearing-house.module.js';
import { BlobStore } from '../database/blob.store.js';
import { storageSettings, type StorageSettings } from '../database/database.settings.js';
import { IdsModule } from '../ids/ids.module.js';
import { RuntimeModule } from '../runtime/runtime.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { ConsumerController } from './consumer.controller.js';
import { ConsumerRepository } from './consumer.repository.js';
import { ConsumerService } from './consumer.service.js';
import { DeletionSweeper } from './deletion.sweeper.js';
import { TransferProgress } from './transfer.progress.js';
import { ConsumerAgreementEntity } from './entities/consumer-agreement.entity.js';
import { ReceivedArtifactEntity } from './entities/received-artifact.entity.js';

/** The consumer side: remote description, negotiation, artifact fetch, and local enforcement on received data. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ConsumerAgreementEntity, ReceivedArtifactEntity]),
    IdsModule,
    UsageModule,
    ClearingHouseModule,
    RuntimeModule,
  ],
  controllers: [ConsumerController],
  providers: [
    { provide: ConsumerRepository, inject: [DataSource], useFactory: (ds: DataSource) => new ConsumerRepository(ds.manager) },
    // Received bytes live apart from the provider's own artifacts.
    { provide: BlobStore, inject: [storageSettings.token], useFactory: (s: StorageSettings) => new BlobStore(join(s.dataDir, 'received')) },
    ConsumerService,
    DeletionSweeper,
    TransferProgress,
  ],
  exports: [ConsumerService, TransferProgress],
})
export class ConsumerModule {}
