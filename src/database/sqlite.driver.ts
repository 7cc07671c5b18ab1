import sqlite3 from 'sqlite3';
import { BootError } from '../config/boot.error.js';

type Opened = (error: Error | null) => void;

/** The connector's database file is held by another process: a boot error, not worth retrying. */
export class DatabaseHeldError extends BootError {}

/** How the connector's own database file is opened (the edge store's index keeps SQLite's defaults). */
export interface OwnedFile {
  /** PRAGMA synchronous (FEP_SQLITE_SYNCHRONOUS). */
  synchronous: 'normal' | 'full';
}

/**
 * The `sqlite3` module as TypeORM's SQLite driver takes it (its `driver` option). TypeORM calls `driver.verbose()`,
 * which switches on sqlite3's long stack traces for the whole process: an `Error` built and inspected on every
 * statement, about a tenth of the CPU of an IDS exchange in the profile. Outside development the module is handed
 * over with a `verbose()` that leaves tracing off (FEP_SQLITE_TRACE=true keeps TypeORM's default).
 *
 * With `owned`, every connection is opened in exclusive locking mode before TypeORM turns on WAL: this process
 * holds the file's lock until it exits (the kernel drops it on kill -9 too) and a second process on the same data
 * directory is refused at boot. The usage counters rely on that: on SQLite they are kept in memory (use.counters.ts).
 * Without shared memory SQLite also needs no `-shm` file (https://www.sqlite.org/wal.html, "Use of WAL Without
 * Shared-Memory"). `synchronous`: in WAL mode NORMAL makes a commit durable against a crash of the process and FULL
 * against a power cut as well, at the price of an fsync per commit (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export function sqliteDriver(trace: boolean, owned?: OwnedFile): unknown {
  const module = owned === undefined ? sqlite3 : { ...sqlite3, Database: exclusiveDatabase(owned) };
  return trace ? { ...module, verbose: () => (sqlite3.verbose(), module) } : { ...module, verbose: () => module };
}

/**
 * A stand-in for `sqlite3.Database` that TypeORM calls with `new` (a constructor that returns an object gives that
 * object): it opens the file, then sets the owned file's pragmas before its open callback runs.
 */
function exclusiveDatabase(owned: OwnedFile): unknown {
  const pragmas = [
    // A process that is just exiting may still hold the lock: a short wait before the refusal.
    'PRAGMA busy_timeout = 2000',
    'PRAGMA locking_mode = EXCLUSIVE',
    `PRAGMA synchronous = ${owned.synchronous === 'full' ? 'FULL' : 'NORMAL'}`,
    // The lock is taken by the first access: here, so that a refusal names its cause.
    'SELECT count(*) FROM sqlite_master',
  ].join(';\n');
  return function Database(file: string, modeOrOpened?: number | Opened, opened?: Opened): sqlite3.Database {
    const done = (typeof modeOrOpened === 'function' ? modeOrOpened : opened) ?? (() => undefined);
    const then: Opened = (error) => {
      if (error !== null) return done(error);
      database.exec(pragmas, (failed) => {
        if (failed === null) return done(null);
        const busy = /SQLITE_BUSY/.test(failed.message);
        database.close(() =>
          done(
            busy
              ? new DatabaseHeldError(
                  `${file} is held by another process (a connector already running on this data directory?): ${failed.message}`,
                )
              : failed,
          ),
        );
      });
    };
    const database = typeof modeOrOpened === 'number' ? new sqlite3.Database(file, modeOrOpened, then) : new sqlite3.Database(file, then);
    return database;
  };
}
