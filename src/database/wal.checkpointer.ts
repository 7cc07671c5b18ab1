import { allSqlite, closeSqlite } from './sqlite.calls.js';

/** The part of a sqlite3 `Database` the checkpointer uses. */
export interface CheckpointConnection {
  all(sql: string, callback: (error: Error | null, rows: unknown[]) => void): void;
  close(callback: (error: Error | null) => void): void;
}

/** When the checkpointer looks again: soon while the log grows, less often while it does not. */
export interface CheckpointPace {
  /** After a pass that found new frames. */
  busyMs: number;
  /** The longest wait, reached by doubling while nothing changes. */
  idleMs: number;
}

export const DEFAULT_PACE: CheckpointPace = { busyMs: 100, idleMs: 1000 };

/** `PRAGMA wal_checkpoint`'s row: frames in the log, frames copied back into the database so far. */
interface CheckpointRow {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Copies the write-ahead log back into the database file on a connection of its own, so that no commit on the hot
 * path has to. SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold: that commit, and every
 * request waiting for it, waits for the copy and its two syncs (the exchange bench's p99 at one request in flight was
 * 9.08 ms against a p50 of 0.78 ms that way: docs/benchmarks.md at 825bfd5). On a second connection, a PASSIVE
 * checkpoint runs beside the writer and never blocks it; the writer starts the log over once a checkpoint has caught
 * up (https://www.sqlite.org/wal.html, "Checkpointing" and "Automatic Checkpoint";
 * https://www.sqlite.org/pragma.html#pragma_wal_checkpoint). The writer keeps a much higher automatic threshold of
 * its own as a backstop, should this one fall behind.
 */
export class WalCheckpointer {
  private connection: Promise<CheckpointConnection> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private waitMs: number;
  private last: CheckpointRow | undefined;
  private stopped = false;
  /** The last pass failed: the next failure in a row is not reported again. */
  private failing = false;

  constructor(
    private readonly open: () => Promise<CheckpointConnection>,
    private readonly onError: (error: Error) => void,
    private readonly pace: CheckpointPace = DEFAULT_PACE,
  ) {
    this.waitMs = pace.busyMs;
  }

  start(): void {
    this.schedule();
  }

  /** How long the timer waits before the next pass. */
  get delayMs(): number {
    return this.waitMs;
  }

  /** One pass now (tests; the timer calls it too): copies what the log holds, if anything. */
  async pass(): Promise<CheckpointRow | undefined> {
    if (this.stopped) return undefined;
    let row: CheckpointRow | undefined;
    try {
      const connection = await (this.connection ??= this.open());
      [row] = await allSqlite<CheckpointRow>(connection, 'PRAGMA wal_checkpoint(PASSIVE)');
      this.failing = false;
    } catch (error) {
      // A failed open is tried again at the next pass; the writer's own threshold still bounds the log meanwhile.
      if (!this.failing) this.onError(error instanceof Error ? error : new Error(String(error)));
      this.failing = true;
      this.connection = undefined;
      this.waitMs = this.pace.idleMs;
      return undefined;
    }
    const changed = this.last === undefined || row.log !== this.last.log || row.checkpointed !== this.last.checkpointed;
    const behind = row.checkpointed < row.log;
    this.waitMs = changed || behind ? this.pace.busyMs : Math.min(this.pace.idleMs, this.waitMs * 2);
    this.last = row;
    return row;
  }

  /** Stops the timer, waits for a pass under way, closes the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    const connection = await this.connection?.catch(() => undefined);
    this.connection = undefined;
    if (connection !== undefined) await closeSqlite(connection).catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pass().then(() => {
        this.running = undefined;
        this.schedule();
      });
    }, this.waitMs);
    // A connector with nothing else to do exits: the checkpointer does not keep it alive.
    this.timer.unref();
  }
}
