/**
 * Remembers inbound message ids for as long as their tokens live, so a captured message cannot be played again
 * (IDS-G DAPS README: the DAT is a bearer token; the message @id makes a request unique). Instances sharing one
 * PostgreSQL store share the memory (database-replay.guard.ts); a single instance keeps it in-process.
 */
export abstract class ReplayGuard {
  /** True when `id` is new (it is remembered until `untilMs`); false for a replay. */
  abstract firstSeen(id: string, untilMs: number, nowMs: number): Promise<boolean>;
}

export class MemoryReplayGuard extends ReplayGuard {
  private readonly seen = new Map<string, number>();

  firstSeen(id: string, untilMs: number, nowMs: number): Promise<boolean> {
    for (const [key, expiry] of this.seen) if (expiry < nowMs) this.seen.delete(key);
    if (this.seen.has(id)) return Promise.resolve(false);
    this.seen.set(id, untilMs);
    return Promise.resolve(true);
  }
}
