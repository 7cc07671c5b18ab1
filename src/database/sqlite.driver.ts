import { Logger } from '@nestjs/common';
import sqlite3 from 'sqlite3';
import { BootError } from '../config/boot.error.js';
import { closeSqlite, execSqlite, openSqlite } from './sqlite.calls.js';
import { WalCheckpointer } from './wal.checkpointer.js';

type Opened = (error: Error | null) => void;

/** The connector's database file is held by another process: a boot error, not worth retrying. */
export class DatabaseHeldError extends BootError {}

/** How the connector's own database file is opened (the edge store's index keeps SQLite's defaults). */
export interface OwnedFile {
  /** PRAGMA synchronous (FEP_SQLITE_SYNCHRONOUS). */
  synchronous: 'normal' | 'full';
}

/**
 * The writer's own automatic checkpoint, behind the WAL checkpointer (wal.checkpointer.ts): 16 MiB of log at 4 KiB
 * pages, where SQLite's default is 1000 pages. Under a steady stream of commits the checkpointer's passes never find
 * the log whole (commits land while they copy), so the writer never starts it over and this threshold is what bounds
 * it: the writer's checkpoint then finds almost everything copied already. A lower threshold puts more of the copy
 * back on the hot path; a higher one costs disk and the time to read the log back after a kill -9 (slow on an SD
 * card). The exchange bench reports the log's size after its load.
 */
const BACKSTOP_PAGES = 4000;

/**
 * The `sqlite3` module as TypeORM's SQLite driver takes it (its `driver` option). TypeORM calls `driver.verbose()`,
 * which switches on sqlite3's long stack traces for the whole process: an `Error` built and inspected on every
 * statement, about a tenth of the CPU of an IDS exchange in the profile. Outside development the module is handed
 * over with a `verbose()` that leaves tracing off (FEP_SQLITE_TRACE=true keeps TypeORM's default).
 *
 * With `owned`, the connector's own file:
 * - is held by this process alone: `<file>.lock`, a small SQLite file of its own, is opened in exclusive locking mode
 *   and written once, so its lock stays until the process exits (the kernel drops it on kill -9 too), and a second
 *   process on the same data directory is refused at boot. The usage counters rely on that: on SQLite they are kept
 *   in memory (use.counters.ts). The lock is on a file beside the database, not on the database itself, so that
 *   this process can open a second connection to it: the checkpointer's.
 * - has its write-ahead log copied back by a WalCheckpointer on that second connection, never inside a commit.
 * - `synchronous`: in WAL mode NORMAL makes a commit durable against a crash of the process and FULL against a power
 *   cut as well, at the price of an fsync per commit (https://www.sqlite.org/pragma.html#pragma_synchronous).
 */
export function sqliteDriver(trace: boolean, owned?: OwnedFile): unknown {
  const module = owned === undefined ? sqlite3 : { ...sqlite3, Database: ownedDatabase(owned) };
  return trace ? { ...module, verbose: () => (sqlite3.verbose(), module) } : { ...module, verbose: () => module };
}

/** Closes `database`, whatever it answers: used where an error is already on its way. */
const closeQuietly = (database: sqlite3.Database): Promise<void> => closeSqlite(database).catch(() => undefined);

/** Takes `<file>.lock` for this process; refused (DatabaseHeldError) while another process has it. */
async function holdLock(file: string): Promise<sqlite3.Database> {
  const lock = await openSqlite(`${file}.lock`);
  try {
    await execSqlite(
      lock,
      [
        // A process that is just exiting may still hold the lock: a short wait before the refusal.
        'PRAGMA busy_timeout = 2000',
        'PRAGMA locking_mode = EXCLUSIVE',
        'PRAGMA journal_mode = MEMORY',
        'PRAGMA synchronous = OFF',
        'CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL)',
        // The first write takes the exclusive lock, and in this locking mode it is kept.
        `DELETE FROM owner; INSERT INTO owner (pid) VALUES (${process.pid})`,
      ].join(';\n'),
    );
    return lock;
  } catch (error) {
    await closeQuietly(lock);
    const message = error instanceof Error ? error.message : String(error);
    if (!/SQLITE_BUSY|SQLITE_LOCKED/.test(message)) throw error;
    throw new DatabaseHeldError(`${file} is held by another process (a connector already running on this data directory?): ${message}`);
  }
}

/**
 * A stand-in for `sqlite3.Database` that TypeORM calls with `new` (a constructor that returns an object gives that
 * object): it opens the file, takes the lock beside it, sets the owned file's pragmas and starts the checkpointer
 * before its open callback runs; closing it stops the checkpointer and gives the lock back.
 */
function ownedDatabase(owned: OwnedFile): unknown {
  const logger = new Logger('Database');
  return function Database(file: string, modeOrOpened?: number | Opened, opened?: Opened): sqlite3.Database {
    const done = (typeof modeOrOpened === 'function' ? modeOrOpened : opened) ?? (() => undefined);
    const mode = typeof modeOrOpened === 'number' ? modeOrOpened : undefined;
    let lock: sqlite3.Database | undefined;
    const checkpointer = new WalCheckpointer(
      async () => {
        const connection = await openSqlite(file, sqlite3.OPEN_READWRITE);
        await execSqlite(connection, 'PRAGMA busy_timeout = 1000');
        return connection;
      },
      (error) => logger.warn(`checkpoint of ${file} failed (the writer's own checkpoint stands in): ${error.message}`),
    );
    const ready = async (): Promise<void> => {
      lock = await holdLock(file);
      await execSqlite(
        database,
        [`PRAGMA synchronous = ${owned.synchronous === 'full' ? 'FULL' : 'NORMAL'}`, `PRAGMA wal_autocheckpoint = ${BACKSTOP_PAGES}`].join(
          ';\n',
        ),
      );
      checkpointer.start();
    };
    const then: Opened = (error) => {
      if (error !== null) return done(error);
      ready().then(
        () => done(null),
        (failed: unknown) =>
          void Promise.all([closeQuietly(database), lock === undefined ? undefined : closeQuietly(lock)]).then(() =>
            done(failed instanceof Error ? failed : new Error(String(failed))),
          ),
      );
    };
    const database = mode === undefined ? new sqlite3.Database(file, then) : new sqlite3.Database(file, mode, then);
    const closeDatabase = database.close.bind(database);
    // The checkpointer's connection closes first, so that the writer's close, the last one, checkpoints and removes
    // the log (a clean stop leaves the database file whole); the lock goes last.
    database.close = (callback?: (error: Error | null) => void) => {
      void checkpointer.stop().then(() =>
        closeDatabase((error) => {
          const release = lock === undefined ? Promise.resolve() : closeQuietly(lock);
          void release.then(() => callback?.(error));
        }),
      );
    };
    return database;
  };
}
