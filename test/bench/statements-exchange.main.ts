/**
 * `npm run profile:statements`: how many calls to sqlite3 one IDS exchange costs the provider of the "exchange" bench
 * (USE, and N_TIMES_USAGE + USAGE_LOGGING), one request in flight (INFLIGHT=16: with the group commit's batches),
 * counted by a preload that logs what sqlite3 is given (test/bench/sql-count.preload.mjs), with the most frequent
 * ones. A batch sent in one call (BEGIN, its INSERTs, COMMIT) counts once: each call is a trip to sqlite3's thread.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { spawnConnector } from './bench.support.js';
import { artifactRequest, load } from './exchange.load.js';
import { setupExchange, type Offered } from './exchange.setup.js';

const inflight = Number(process.env['INFLIGHT'] ?? 1);
const log = join(tmpdir(), `fep-sql-${process.pid}.log`);
const preload = join(PROJECT_ROOT, 'test', 'bench', 'sql-count.preload.mjs');
const setup = await setupExchange((env) =>
  spawnConnector(join('test', 'bench', 'profile-connector.main.js'), { ...env, FEP_SQL_LOG: log }, ['--import', preload]),
);
try {
  const { client, token } = setup;
  for (const [name, target] of [
    ['USE', setup.use],
    ['N_TIMES_USAGE + USAGE_LOGGING', setup.counted],
  ] as [string, Offered][]) {
    const header = (): string => artifactRequest('prefixed', client.connectorId, target.artifact, target.agreement, token);
    await load(`${setup.base}/data`, header, 1, 500, 'readings');
    writeFileSync(`${log}.on`, '');
    const run = await load(`${setup.base}/data`, header, inflight, 2000, 'readings');
    rmSync(`${log}.on`);
    await new Promise((r) => setTimeout(r, 300));
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    rmSync(log);
    console.log(
      `${name}: ${run.requests} exchanges, ${(lines.length / run.requests).toFixed(1)} calls to sqlite3 each at ${inflight} in flight (background jobs included)`,
    );
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line.slice(0, 80), (counts.get(line.slice(0, 80)) ?? 0) + 1);
    for (const [sql, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(`  ${(n / run.requests).toFixed(2)}  ${sql}`);
  }
} finally {
  await setup.close();
}
