import type { CounterKey } from './usage.repository.js';

/**
 * The N_TIMES_USAGE counters as the enforcement point reads and claims them.
 *
 * On SQLite one process holds the database file (sqlite.driver.ts), so the count it keeps in memory is the count:
 * each key is read once, and a use is claimed by a synchronous reservation (no other request runs between the read
 * the decision used and the claim), then written with the exchange's other rows as a plain increment, one commit for
 * the whole exchange. The reservation is taken back if that commit fails, so a use counts in memory exactly when it
 * is on disk or about to be, and after a kill -9 the restart reads what was committed. A conditional UPDATE per claim
 * (the PostgreSQL path, where instances share the store) would be a statement of its own, and a commit before the
 * exchange's audit row's.
 *
 * Elsewhere (`held` false) nothing is kept: every read goes to the store and claims are the conditional UPDATE.
 */
export class UseCounters {
  /** Committed uses plus reserved ones, per key. */
  private readonly counts = new Map<string, number>();
  private readonly loading = new Map<string, Promise<number>>();

  constructor(
    /** Whether this process owns the store, and so its counts (SQLite). */
    readonly held: boolean,
    private readonly read: (key: CounterKey) => Promise<number>,
  ) {}

  /** Uses made (and, when held, reserved) so far. */
  async uses(key: CounterKey): Promise<number> {
    if (!this.held) return this.read(key);
    const id = idOf(key);
    const known = this.counts.get(id);
    if (known !== undefined) return known;
    let load = this.loading.get(id);
    if (load === undefined) {
      load = this.read(key).then(
        (stored) => {
          this.loading.delete(id);
          // Concurrent first reads share this one: the count is set once, before any reservation can be made.
          if (!this.counts.has(id)) this.counts.set(id, stored);
          return this.counts.get(id)!;
        },
        (error: unknown) => {
          this.loading.delete(id);
          throw error;
        },
      );
      this.loading.set(id, load);
    }
    await load;
    return this.counts.get(id)!;
  }

  /**
   * Reserves one use if fewer than `limit` are made or reserved; `uses(key)` must have been read (it is: the decision
   * needs it). Synchronous, so concurrent requests can never pass the limit together.
   */
  reserve(key: CounterKey, limit: number): boolean {
    const id = idOf(key);
    const uses = this.counts.get(id);
    if (uses === undefined) throw new Error(`the uses of ${id} were not read before a reservation`);
    if (uses >= limit) return false;
    this.counts.set(id, uses + 1);
    return true;
  }

  /** Gives a reserved (or committed and then taken back) use back. */
  unreserve(key: CounterKey): void {
    const id = idOf(key);
    const uses = this.counts.get(id);
    if (uses !== undefined && uses > 0) this.counts.set(id, uses - 1);
  }
}

function idOf(key: CounterKey): string {
  return JSON.stringify([key.side, key.agreementIri, key.target]);
}
