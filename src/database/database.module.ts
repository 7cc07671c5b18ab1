import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { storageSettings, type StorageSettings } from './database.settings.js';
import { dataSourceOptions } from './database.options.js';

/** The data source. Each feature registers its own entities (`TypeOrmModule.forFeature`); migrations are listed here. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [storageSettings.token],
      useFactory: (storage: StorageSettings) => dataSourceOptions(storage),
    }),
  ],
})
export class DatabaseModule {}
