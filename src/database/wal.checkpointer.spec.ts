import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sqlite3 from 'sqlite3';
import { closeSqlite, execSqlite, openSqlite } from './sqlite.calls.js';
import { WalCheckpointer, type CheckpointConnection } from './wal.checkpointer.js';

const PACE = { busyMs: 20, idleMs: 160 };

/** `n` commits of one row each (about a 4 KiB frame or two per commit). */
async function commits(db: sqlite3.Database, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await execSqlite(db, `INSERT INTO t (v) VALUES (randomblob(3000))`);
}

describe('WalCheckpointer (real SQLite files, two connections)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-wal-'));
  const file = join(dir, 'w.sqlite');
  let writer: sqlite3.Database;

  before(async () => {
    writer = await openSqlite(file);
    // The writer never checkpoints by itself here: what is copied back is the checkpointer's doing.
    await execSqlite(writer, 'PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (v BLOB)');
  });
  after(async () => {
    await closeSqlite(writer);
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the log back beside the writer, and the writer then starts the log over instead of growing it', async () => {
    const checkpointer = new WalCheckpointer(() => openSqlite(file), assert.fail, PACE);
    try {
      await commits(writer, 200);
      const first = await checkpointer.pass();
      assert.ok(first !== undefined && first.log >= 200, JSON.stringify(first));
      assert.equal(first.checkpointed, first.log, 'every frame copied back');
      const walBytes = statSync(`${file}-wal`).size;
      // Fewer commits than before: a log started over holds only them; a log that kept growing would hold both.
      await commits(writer, 50);
      const second = await checkpointer.pass();
      assert.ok(second !== undefined && second.log < first.log, `${JSON.stringify(second)} after ${JSON.stringify(first)}`);
      assert.equal(statSync(`${file}-wal`).size, walBytes, 'the file is reused from its start, not extended');
    } finally {
      await checkpointer.stop();
    }
  });

  it('looks again soon while the log moves, and backs off to its idle pace while it does not', async () => {
    const checkpointer = new WalCheckpointer(() => openSqlite(file), assert.fail, PACE);
    try {
      await commits(writer, 5);
      await checkpointer.pass();
      assert.equal(checkpointer.delayMs, PACE.busyMs);
      const waits: number[] = [];
      for (let i = 0; i < 4; i++) {
        await checkpointer.pass();
        waits.push(checkpointer.delayMs);
      }
      assert.deepEqual(waits, [40, 80, 160, 160]);
      await commits(writer, 1);
      await checkpointer.pass();
      assert.equal(checkpointer.delayMs, PACE.busyMs, 'a new commit brings the busy pace back');
    } finally {
      await checkpointer.stop();
    }
  });

  it('runs on its timer until stopped; a connection it cannot open is reported once and tried again', async () => {
    const errors: Error[] = [];
    let opens = 0;
    const failing = new WalCheckpointer(
      () => {
        opens++;
        return Promise.reject(new Error('SQLITE_CANTOPEN: unable to open database file'));
      },
      (error) => errors.push(error),
      PACE,
    );
    assert.equal(await failing.pass(), undefined);
    assert.equal(await failing.pass(), undefined);
    assert.deepEqual([opens, errors.map((e) => e.message)], [2, ['SQLITE_CANTOPEN: unable to open database file']]);
    await failing.stop();

    let closed = false;
    const timed = new WalCheckpointer(
      async (): Promise<CheckpointConnection> => {
        const db = await openSqlite(file);
        return { all: (sql, cb) => db.all(sql, cb), close: (cb) => db.close((e) => ((closed = true), cb(e))) };
      },
      assert.fail,
      PACE,
    );
    await commits(writer, 20);
    timed.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await timed.stop();
    assert.equal(closed, true, 'stop closes the connection');
    const after = await new Promise<{ log: number; checkpointed: number }>((resolve, reject) =>
      writer.get('PRAGMA wal_checkpoint(PASSIVE)', (e, row: { log: number; checkpointed: number }) => (e ? reject(e) : resolve(row))),
    );
    assert.equal(after.checkpointed, after.log);
  });
});
