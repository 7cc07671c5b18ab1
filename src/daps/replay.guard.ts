/**
 * Remembers inbound message ids for as long as their tokens live, so a captured message cannot be played again
 * (IDS-G DAPS README: the DAT is a bearer token; the message @id makes a request unique). Instances sharing one
 * PostgreSQL store share the memory (database-replay.guard.ts); a single instance keeps it in-process.
 */
export abstract class ReplayGuard {
  /** True when `id` is new (it is remembered until `untilMs`); false for a replay. */
  abstract firstSeen(id: string, untilMs: number, nowMs: number): Promise<boolean>;
}

/**
 * In-process memory, constant time per message: a map for the lookup and the ids in arrival order for the
 * sweep, which only ever looks at the oldest entries and stops at the first one still remembered.
 */
export class MemoryReplayGuard extends ReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly order: { id: string; until: number }[] = [];
  private head = 0;

  firstSeen(id: string, untilMs: number, nowMs: number): Promise<boolean> {
    this.sweep(nowMs);
    const known = this.seen.get(id);
    if (known !== undefined && known >= nowMs) return Promise.resolve(false);
    this.seen.set(id, untilMs);
    this.order.push({ id, until: untilMs });
    return Promise.resolve(true);
  }

  /** How many ids are remembered (for tests and metrics). */
  get size(): number {
    return this.seen.size;
  }

  private sweep(nowMs: number): void {
    // Amortised O(1): each entry is visited once when it leaves. An entry that lives longer than those behind
    // it holds them back a little; lookups compare the expiry themselves, so that only costs memory.
    while (this.head < this.order.length && this.order[this.head].until < nowMs) {
      const { id, until } = this.order[this.head++];
      if (this.seen.get(id) === until) this.seen.delete(id);
    }
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order.splice(0, this.head);
      this.head = 0;
    }
  }
}
