import { resolve } from 'node:path';
import { bool, databaseUrl, int, oneOf, path } from '../config/setting.parsers.js';
import { defineArea, optional, setting, type SettingsOf } from '../config/setting.js';

/** Where the connector keeps its state: the data directory (SQLite file, artifacts, secrets) or a PostgreSQL store. */
export const storageSettings = defineArea('storage', {
  dataDir: setting(
    'FEP_DATA_DIR',
    path,
    ({ cwd }) => resolve(cwd, 'data'),
    'SQLite file, uploaded artifacts and generated secrets',
    './data',
  ),
  minFreeMb: setting(
    'FEP_DISK_MIN_FREE_MB',
    int(0, 10_000_000),
    64,
    'readiness is `degraded` while the data directory’s disk has less free space than this (MiB)',
  ),
  databaseUrl: optional(
    'FEP_DATABASE_URL',
    databaseUrl,
    '`postgres://user:pass@host:5432/db` to share a PostgreSQL store between instances',
    '(unset: SQLite file `$FEP_DATA_DIR/fep.sqlite`)',
  ),
  sqliteTrace: setting(
    'FEP_SQLITE_TRACE',
    bool,
    false,
    "sqlite3's long stack traces for every statement (development only: it costs a tenth of an exchange's CPU)",
  ),
  sqliteSynchronous: setting(
    'FEP_SQLITE_SYNCHRONOUS',
    oneOf('normal', 'full'),
    'normal',
    'when a commit on the SQLite file counts as done: `normal` once it is in the write-ahead log (it survives the ' +
      'process being killed; a power cut may lose the last commits), `full` once the disk has it (an fsync per commit)',
  ),
});
export type StorageSettings = SettingsOf<typeof storageSettings>;
