import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type sqlite3 from 'sqlite3';
import { closeSqlite, execSqlite } from './sqlite.calls.js';
import { DatabaseHeldError, sqliteDriver } from './sqlite.driver.js';

type Module = typeof sqlite3;

function openOwned(file: string): Promise<sqlite3.Database> {
  const { Database } = sqliteDriver(false, { synchronous: 'normal' }) as Module;
  return new Promise((resolve, reject) => {
    const db = new Database(file, (error) => (error === null ? resolve(db) : reject(error)));
  });
}

const pragma = (db: sqlite3.Database, name: string): Promise<unknown> =>
  new Promise((resolve, reject) =>
    db.get(`PRAGMA ${name}`, (error, row: Record<string, unknown>) => (error ? reject(error) : resolve(Object.values(row)[0]))),
  );

describe("the connector's own SQLite file (sqliteDriver with owned; real files)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-owned-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is held by one owner at a time: a second is refused while the first has it, and may open once it closed', async () => {
    const file = join(dir, 'held.sqlite');
    const first = await openOwned(file);
    await assert.rejects(openOwned(file), (error: unknown) => {
      assert.ok(error instanceof DatabaseHeldError);
      assert.match(error.message, /held\.sqlite is held by another process/);
      return true;
    });
    // The refused one left the first untouched.
    await execSqlite(first, 'CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1)');
    await closeSqlite(first);
    const second = await openOwned(file);
    await closeSqlite(second);
  });

  it('sets the writer up for the checkpointer (synchronous, a high backstop threshold); a clean close leaves no log behind', async () => {
    const file = join(dir, 'clean.sqlite');
    const db = await openOwned(file);
    await execSqlite(db, 'PRAGMA journal_mode = WAL; CREATE TABLE t (v BLOB)');
    assert.equal(await pragma(db, 'synchronous'), 1, 'NORMAL');
    assert.equal(await pragma(db, 'wal_autocheckpoint'), 4000);
    for (let i = 0; i < 50; i++) await execSqlite(db, 'INSERT INTO t VALUES (randomblob(2000))');
    assert.ok(existsSync(`${file}-wal`));
    await closeSqlite(db);
    assert.equal(existsSync(`${file}-wal`), false, 'the last connection to close checkpoints and removes the log');
    assert.ok(existsSync(`${file}.lock`), 'the lock file stays (its lock does not)');
  });
});
