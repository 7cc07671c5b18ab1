import { Module } from '@nestjs/common';
import { AgreementsModule } from '../contracts/agreements.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { ArtifactRequestHandler } from './artifact-request.handler.js';
import { DescriptionRequestHandler } from './description-request.handler.js';
import { DataSource } from 'typeorm';
import { join } from 'node:path';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import { TRUSTED_CAS } from '../daps/trusted-cas.token.js';
import { trustingFetch } from '../daps/trusting.fetch.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { ArtifactSourceReader } from './artifact-source.reader.js';
import { ArtifactService } from './artifact.service.js';
import { ArtifactsController } from './artifacts.controller.js';
import { BlobStore } from './blob.store.js';
import { FileSourceGuard } from './file-source.guard.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogSeeder } from './catalog.seeder.js';
import { CatalogService } from './catalog.service.js';
import { CatalogsController } from './catalogs.controller.js';
import { ContractOfferService } from './contract-offer.service.js';
import { ContractOffersController } from './contract-offers.controller.js';
import { RepresentationsController } from './representations.controller.js';
import { ResourcesController } from './resources.controller.js';
import { SelfDescriptionController } from './self-description.controller.js';
import { SelfDescriptionService } from './self-description.service.js';
import { TrueManagementController } from './true-management.controller.js';
import { TrueManagementService } from './true-management.service.js';

/** The IDS catalog (catalog > resource > representation > artifact, contract offers) and the self-description. */
@Module({
  imports: [AgreementsModule, UsageModule],
  controllers: [
    SelfDescriptionController,
    CatalogsController,
    ResourcesController,
    RepresentationsController,
    ArtifactsController,
    ContractOffersController,
    TrueManagementController,
  ],
  providers: [
    { provide: CatalogRepository, inject: [DataSource], useFactory: (ds: DataSource) => new CatalogRepository(ds.manager) },
    { provide: BlobStore, inject: [CONNECTOR_CONFIG], useFactory: (c: ConnectorConfig) => new BlobStore(join(c.storage.dataDir, 'artifacts')) },
    // Never the certs or data directory, whatever FEP_FILE_SOURCE_DIRS says.
    { provide: FileSourceGuard, inject: [CONNECTOR_CONFIG], useFactory: (c: ConnectorConfig) => new FileSourceGuard(c.sources.fileDirs, [c.identity.certsDir, c.storage.dataDir]) },
    // HTTP sources are fetched trusting FEP_TRUSTSTORE too (data behind an operator CA).
    {
      provide: ArtifactSourceReader,
      inject: [BlobStore, FileSourceGuard, TRUSTED_CAS, CONNECTOR_CONFIG],
      useFactory: (blobs: BlobStore, files: FileSourceGuard, cas: string[], c: ConnectorConfig) =>
        new ArtifactSourceReader(blobs, files, trustingFetch(cas, { connectTimeoutMs: c.sources.httpConnectTimeoutMs, idleTimeoutMs: c.sources.httpIdleTimeoutMs })),
    },
    CatalogService,
    ArtifactService,
    ContractOfferService,
    SelfDescriptionService,
    TrueManagementService,
    CatalogSeeder,
    DescriptionRequestHandler,
    ArtifactRequestHandler,
  ],
  exports: [CatalogRepository, SelfDescriptionService, ArtifactService],
})
export class ResourcesModule {}
