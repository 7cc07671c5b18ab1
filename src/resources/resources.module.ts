import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { BlobStore } from '../database/blob.store.js';
import { storageSettings, type StorageSettings } from '../database/database.settings.js';
import { identitySettings, type IdentitySettings } from '../identity/identity.settings.js';
import { trustingFetch } from '../identity/trusting.fetch.js';
import { TRUSTED_CAS } from '../ids/seams/identity.seam.js';
import { IdsModule } from '../ids/ids.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { ArtifactService } from './artifact.service.js';
import { CatalogCache } from './catalog.cache.js';
import { ArtifactsController } from './artifacts.controller.js';
import { CatalogPublisher } from './catalog.publisher.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogSeeder } from './catalog.seeder.js';
import { CatalogService } from './catalog.service.js';
import { catalogSettings, type CatalogSettings } from './catalog.settings.js';
import { CatalogsController } from './catalogs.controller.js';
import { ContractOfferService } from './contract-offer.service.js';
import { ContractOffersController } from './contract-offers.controller.js';
import { DescriptionRequestHandler } from './description-request.handler.js';
import { ArtifactEntity } from './entities/artifact.entity.js';
import { CatalogEntity } from './entities/catalog.entity.js';
import { ContractOfferEntity } from './entities/contract-offer.entity.js';
import { RepresentationEntity } from './entities/representation.entity.js';
import { ResourceEntity } from './entities/resource.entity.js';
import { RepresentationsController } from './representations.controller.js';
import { ResourcesController } from './resources.controller.js';
import { SelfDescriptionController } from './self-description.controller.js';
import { SelfDescriptionService } from './self-description.service.js';
import { ArtifactSourceRegistry } from './sources/artifact-source.registry.js';
import { DescribedOnlySource } from './sources/described-only.source.js';
import { FileSourceGuard } from './sources/file-source.guard.js';
import { FileSource } from './sources/file.source.js';
import { HttpSource, SOURCE_FETCH } from './sources/http.source.js';
import { UploadSource } from './sources/upload.source.js';

/**
 * The IDS catalog (catalog > resource > representation > artifact, contract offers), the self-description, the
 * artifact sources, and the catalog publisher other components (TRUE's API, the data apps) write through.
 */
@Module({
  imports: [
    DiscoveryModule,
    TypeOrmModule.forFeature([CatalogEntity, ResourceEntity, RepresentationEntity, ArtifactEntity, ContractOfferEntity]),
    IdsModule,
    UsageModule,
  ],
  controllers: [
    SelfDescriptionController,
    CatalogsController,
    ResourcesController,
    RepresentationsController,
    ArtifactsController,
    ContractOffersController,
  ],
  providers: [
    { provide: CatalogRepository, inject: [DataSource], useFactory: (ds: DataSource) => new CatalogRepository(ds.manager) },
    {
      provide: BlobStore,
      inject: [storageSettings.token],
      useFactory: (s: StorageSettings) => new BlobStore(join(s.dataDir, 'artifacts')),
    },
    // Never the certs or data directory, whatever FEP_FILE_SOURCE_DIRS says.
    {
      provide: FileSourceGuard,
      inject: [catalogSettings.token, identitySettings.token, storageSettings.token],
      useFactory: (c: CatalogSettings, i: IdentitySettings, s: StorageSettings) =>
        new FileSourceGuard(c.fileSourceDirs, [i.certsDir, s.dataDir]),
    },
    // HTTP sources trust FEP_TRUSTSTORE too (data behind an operator CA) and time out on connect and on a stall.
    {
      provide: SOURCE_FETCH,
      inject: [TRUSTED_CAS, catalogSettings.token],
      useFactory: (cas: string[], c: CatalogSettings) =>
        trustingFetch(cas, { connectTimeoutMs: c.httpConnectTimeoutMs, idleTimeoutMs: c.httpIdleTimeoutMs }),
    },
    UploadSource,
    FileSource,
    HttpSource,
    DescribedOnlySource,
    ArtifactSourceRegistry,
    CatalogService,
    ArtifactService,
    CatalogCache,
    ContractOfferService,
    CatalogPublisher,
    SelfDescriptionService,
    CatalogSeeder,
    DescriptionRequestHandler,
  ],
  exports: [
    CatalogRepository,
    CatalogService,
    CatalogPublisher,
    SelfDescriptionService,
    ArtifactService,
    ArtifactSourceRegistry,
    BlobStore,
  ],
})
export class ResourcesModule {}
