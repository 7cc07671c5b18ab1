import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { storageSettings, type StorageSettings } from '../database/database.settings.js';
import { ResourcesModule } from '../resources/resources.module.js';
import { RuntimeModule } from '../runtime/runtime.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { AppIsolation } from './app-isolation.js';
import { DataAppRegistry } from './data-app.registry.js';
import { DataAppRepository } from './data-app.repository.js';
import { DataAppSource } from './data-app.source.js';
import { DataAppSupervisor } from './data-app.supervisor.js';
import { DataAppsController } from './data-apps.controller.js';
import { dataAppsSettings, type DataAppsSettings } from './data-apps.settings.js';
import { DataAppMemoryEntity } from './entities/data-app-memory.entity.js';
import { DataAppOutputEntity } from './entities/data-app-output.entity.js';
import { DataAppStateEntity } from './entities/data-app-state.entity.js';
import { OutputPublisher } from './output.publisher.js';
import { OutputStore } from './output.store.js';
import { EdgeStoreJobs } from './store/edge-store.jobs.js';
import { openEdgeDatabase } from './store/edge.database.js';
import { SecretFiles } from './secret.files.js';
import { SourceWatch } from './source.watch.js';
import { identitySettings, type IdentitySettings } from '../identity/identity.settings.js';
import { EdgeStore } from './store/edge.store.js';
import { OccupancyApp } from './occupancy/occupancy.app.js';
import { VibrationApp } from './vibration/vibration.app.js';

/** The apps: one line each. */
const APPS: Type[] = [VibrationApp, OccupancyApp];

/**
 * The data-app platform: the registry of `@DataAppPlugin` apps, their supervisor and admin API, their outputs
 * (stored, published in the catalog, served by the `data-app` artifact source) and the edge store. `OutputStore`
 * is exported for results delivery (it listens to new values).
 */
@Module({
  imports: [
    DiscoveryModule,
    TypeOrmModule.forFeature([DataAppStateEntity, DataAppMemoryEntity, DataAppOutputEntity]),
    ResourcesModule,
    UsageModule,
    RuntimeModule,
  ],
  controllers: [DataAppsController],
  providers: [
    { provide: DataAppRepository, inject: [DataSource], useFactory: (ds: DataSource) => new DataAppRepository(ds.manager) },
    {
      provide: EdgeStore,
      inject: [storageSettings.token, dataAppsSettings.token, Clock],
      useFactory: async (storage: StorageSettings, s: DataAppsSettings, clock: Clock) => {
        const dir = join(storage.dataDir, 'edge');
        const source = await openEdgeDatabase(dir);
        const options = {
          dir,
          maxBytes: s.edgeMaxBytes,
          rawMs: s.edgeRawHours * 3_600_000,
          indicatorMs: s.edgeIndicatorDays * 86_400_000,
          segmentBytes: s.edgeSegmentBytes,
        };
        return new EdgeStore(source.manager, options, clock, () => source.destroy());
      },
    },
    // Never the certs or data directory, whatever FEP_APPS_SECRET_DIRS says.
    {
      provide: SecretFiles,
      inject: [dataAppsSettings.token, identitySettings.token, storageSettings.token],
      useFactory: (s: DataAppsSettings, i: IdentitySettings, storage: StorageSettings) => new SecretFiles(s.secretDirs, [i.certsDir, storage.dataDir]),
    },
    DataAppRegistry,
    AppIsolation,
    SourceWatch,
    OutputStore,
    OutputPublisher,
    DataAppSource,
    DataAppSupervisor,
    EdgeStoreJobs,
  ],
  exports: [OutputStore, DataAppRegistry, OutputPublisher, DataAppSupervisor, SourceWatch],
})
export class DataAppsModule {
  /** With the built-in apps and `extra` ones (an operator's own plug-ins, compiled in; the tests' faulty apps). */
  static register(extra: Type[] = []): DynamicModule {
    return { module: DataAppsModule, providers: [...APPS, ...extra] };
  }
}
