import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { dataSourceOptions } from './database.options.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CONNECTOR_CONFIG],
      useFactory: (config: ConnectorConfig) => dataSourceOptions(config.storage),
    }),
  ],
})
export class DatabaseModule {}
