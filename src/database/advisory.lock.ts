import type { DataSource } from 'typeorm';

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
