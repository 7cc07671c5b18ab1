import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { storageSettings, type StorageSettings } from './database.settings.js';
import { dataSourceOptions } from './database.options.js';
import { WriteBatcher } from './write.batcher.js';

/**
 * The data source, and the one group commit on it (WriteBatcher: shared, so that concurrent requests' use claims
 * and audit rows commit together). Each feature registers its own entities (`TypeOrmModule.forFeature`); migrations
 * are listed here.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [storageSettings.token],
      useFactory: (storage: StorageSettings) => dataSourceOptions(storage),
    }),
  ],
  providers: [{ provide: WriteBatcher, inject: [DataSource], useFactory: (source: DataSource) => new WriteBatcher(source) }],
  exports: [WriteBatcher],
})
export class DatabaseModule {}
