import { join } from 'node:path';
import type { TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { StorageSettings } from './database.settings.js';
import { MIGRATIONS } from './migrations/all.migrations.js';
import { DatabaseHeldError, sqliteDriver } from './sqlite.driver.js';

/**
 * SQLite file in the data dir by default (WAL, held by this process alone: sqlite.driver.ts); PostgreSQL by URL.
 * Entities come from the features (`autoLoadEntities`); the schema only ever changes through migrations, never
 * `synchronize`.
 */
export function dataSourceOptions(storage: StorageSettings): TypeOrmModuleOptions {
  const common = { autoLoadEntities: true, migrations: MIGRATIONS, migrationsRun: true, synchronize: false, logging: ['error'] as const };
  if (storage.databaseUrl !== undefined) return { ...common, type: 'postgres', url: storage.databaseUrl, logging: ['error'] };
  return {
    ...common,
    type: 'sqlite',
    driver: sqliteDriver(storage.sqliteTrace, { synchronous: storage.sqliteSynchronous }),
    database: join(storage.dataDir, 'fep.sqlite'),
    enableWAL: true,
    busyTimeout: 5000,
    // A file another connector holds stays held: the boot stops at once, saying so (others are tried again).
    toRetry: (error: unknown) => !(error instanceof DatabaseHeldError),
    logging: ['error'],
  };
}
