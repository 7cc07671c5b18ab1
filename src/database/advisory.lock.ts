import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Runs `work` where instances sharing one PostgreSQL store must take turns (a background worker's pass): under a
 * session advisory lock, skipped when another instance holds it. SQLite has one instance: `work` just runs.
 */
export async function underAdvisoryLock(source: DataSource, key: number, work: () => Promise<void>): Promise<void> {
  if (source.options.type !== 'postgres') return work();
  const runner = source.createQueryRunner();
  try {
    const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [key])) as { locked: boolean }[];
    if (!row?.locked) return;
    try {
      await work();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * A session advisory lock held for as long as this instance can keep it: the one instance among those sharing a
 * PostgreSQL store that does a kind of background work (the delivery worker, whose deliveries run beside each
 * other and outlive a pass). Asked before each pass: held (its connection still answers), taken now, or held by
 * another instance. PostgreSQL drops the lock with the session, so an instance that dies hands the work on. SQLite
 * has one instance: always held.
 */
export class AdvisoryLease {
  private runner: QueryRunner | undefined;

  constructor(
    private readonly source: DataSource,
    private readonly key: number,
  ) {}

  async held(): Promise<boolean> {
    if (this.source.options.type !== 'postgres') return true;
    if (this.runner !== undefined) {
      try {
        await this.runner.query('SELECT 1');
        return true;
      } catch {
        await this.release();
      }
    }
    const runner = this.source.createQueryRunner();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [this.key])) as { locked: boolean }[];
      if (row?.locked) {
        this.runner = runner;
        return true;
      }
    } catch {
      // The store is not reachable: not held, asked again next pass.
    }
    await runner.release().catch(() => undefined);
    return false;
  }

  async release(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (runner === undefined) return;
    await runner.query('SELECT pg_advisory_unlock($1)', [this.key]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }
}
