import sqlite3 from 'sqlite3';

/**
 * The `sqlite3` module as TypeORM's SQLite driver takes it (its `driver` option). TypeORM calls `driver.verbose()`,
 * which switches on sqlite3's long stack traces for the whole process: an `Error` built and inspected on every
 * statement, about a tenth of the CPU of an IDS exchange in the profile. Outside development the module is handed
 * over with a `verbose()` that leaves tracing off (FEP_SQLITE_TRACE=true keeps TypeORM's default).
 */
export function sqliteDriver(trace: boolean): unknown {
  return trace ? sqlite3 : { ...sqlite3, verbose: () => sqlite3 };
}
