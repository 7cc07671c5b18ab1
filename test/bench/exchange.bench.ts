/**
 * Bench section "exchange": the cost of one governed IDS exchange (set-up: exchange.setup.ts). A client speaks
 * multipart/form-data to the provider's `/data` directly with a real DAT and a fresh message @id per request,
 * keep-alive, 1 or 16 in flight; next to it, in the same run, a bare Node `http` server that parses the same request
 * and answers the same bytes. Bare and connector alternate, three rounds each, medians reported (these machines are
 * shared). Also the provider's RSS just started, after the first 10,000 exchanges and after all of them, a restart's
 * time to its first answer (the bundle `npm start` runs and, alternating, the compiled modules it is made from), and the
 * RSS of that restart with and without the process's V8 flags (node.flags.ts), and last the price of
 * FEP_SQLITE_SYNCHRONOUS=full (a commit waits for the disk) at 1 and 16 in flight.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_FLAGS } from '../../src/common/node.flags.js';
import { START_POLL_MS, startConnectorProcess } from '../support/connector.process.js';
import { artifactRequest, bareServer, load, type HeaderShape, type LoadResult } from './exchange.load.js';
import { setupExchange, type Offered } from './exchange.setup.js';

const ROUND_MS = Number(process.env['BENCH_ROUND_MS'] ?? 5000);
const ROUNDS = 3;
/** Restarts of each build (bundle, modules), alternating: one restart's time is too noisy a figure. */
const RESTARTS = 3;
const MiB = 1024 * 1024;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** V8 gives back a large heap only once the process has been idle a while (its memory reducer): RSS's low over 35 s. */
const SETTLE_MS = Number(process.env['BENCH_SETTLE_MS'] ?? 35_000);
/** The memory figure: RSS after this many exchanges, against idle. */
const FIRST_EXCHANGES = 10_000;

interface Case {
  title: string;
  target: Offered;
  shape: HeaderShape;
  inflight: number;
}

async function settledRss(memory: () => { rss: number }): Promise<number> {
  let low = memory().rss;
  for (let waited = 0; waited < SETTLE_MS; waited += 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    low = Math.min(low, memory().rss);
  }
  return low / MiB;
}

export async function exchangeBench(): Promise<string> {
  const setup = await setupExchange((env, certs) => startConnectorProcess(env, certs, ''));
  const bare = await bareServer(setup.bytes);
  const rows: string[] = [];
  let memory: string;
  try {
    const { client, token, use, counted } = setup;
    const idle = setup.provider.memory().rss / MiB;
    const idleSettled = await settledRss(() => setup.provider.memory());
    const cases: Case[] = [
      { title: 'USE, prefixed header', target: use, shape: 'prefixed', inflight: 16 },
      { title: 'N_TIMES_USAGE + USAGE_LOGGING, prefixed', target: counted, shape: 'prefixed', inflight: 16 },
      { title: 'USE, un-prefixed header (context URL)', target: use, shape: 'unprefixed', inflight: 16 },
      { title: 'USE, prefixed header', target: use, shape: 'prefixed', inflight: 1 },
    ];
    const url = `${setup.base}/data`;
    // The first 10,000 exchanges (USE, 16 in flight) are also the warm-up (JIT, caches, the first token verification).
    const first = await load(
      url,
      () => artifactRequest('prefixed', client.connectorId, use.artifact, use.agreement, token),
      16,
      120_000,
      'readings',
      FIRST_EXCHANGES,
    );
    const afterFirst = setup.provider.memory().rss / MiB;
    const afterFirstSettled = await settledRss(() => setup.provider.memory());
    let exchanges = first.requests;
    // One row: bare and connector alternating, medians.
    const measure = async (c: Case): Promise<void> => {
      const header = (): string => artifactRequest(c.shape, client.connectorId, c.target.artifact, c.target.agreement, token);
      const bareRuns: LoadResult[] = [];
      const runs: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        bareRuns.push(await load(bare.url, header, c.inflight, ROUND_MS, 'readings'));
        runs.push(await load(url, header, c.inflight, ROUND_MS, 'readings'));
      }
      exchanges += runs.reduce((n, r) => n + r.requests, 0);
      const b = median(bareRuns.map((r) => r.perSecond));
      const x = median(runs.map((r) => r.perSecond));
      const errors = [...runs, ...bareRuns].reduce((n, r) => n + r.errors, 0);
      rows.push(
        `| ${c.title} | ${c.inflight} | ${b.toFixed(0)} | ${x.toFixed(0)} | ${((100 * x) / b).toFixed(1)} % | ${median(runs.map((r) => r.p50)).toFixed(2)} | ${median(runs.map((r) => r.p99)).toFixed(2)} | ${median(bareRuns.map((r) => r.p50)).toFixed(2)} | ${median(bareRuns.map((r) => r.p99)).toFixed(2)} | ${errors} |`,
      );
      console.log(rows.at(-1));
    };
    for (const c of cases) await measure(c);
    const after = setup.provider.memory().rss / MiB;
    // The write-ahead log after all of them: bounded by the writer's backstop checkpoint (database/sqlite.driver.ts).
    const wal = statSync(join(setup.env['FEP_DATA_DIR'], 'fep.sqlite-wal'), { throwIfNoEntry: false })?.size ?? 0;
    const afterSettled = await settledRss(() => setup.provider.memory());
    // Restarts on the existing data directory, alternating the compiled modules (connector.main.js) and the bundle
    // that `npm start` runs (main.js starts connector.bundle.js, src/bundle.build.mjs); the bundle's runs last.
    const restarts: Record<'modules' | 'bundle', number[]> = { modules: [], bundle: [] };
    for (let i = 0; i < RESTARTS; i++) {
      for (const [build, script] of [
        ['modules', join('src', 'connector.main.js')],
        ['bundle', undefined],
      ] as const) {
        await setup.provider.stop();
        const started = performance.now();
        setup.provider = await startConnectorProcess(setup.env, setup.certs, '', script);
        restarts[build].push(performance.now() - started);
      }
    }
    const restarted = setup.provider.memory().rss / MiB;
    const restartedSettled = await settledRss(() => setup.provider.memory());
    // The same restart without the process's V8 flags: what they are worth, measured in this run.
    await setup.provider.stop();
    setup.provider = await startConnectorProcess(setup.env, setup.certs, '', undefined, []);
    const plain = setup.provider.memory().rss / MiB;
    const plainSettled = await settledRss(() => setup.provider.memory());
    // What a commit that waits for the disk costs (FEP_SQLITE_SYNCHRONOUS=full: durable across a power cut too):
    // alone at one request in flight, and shared by a group commit at sixteen.
    await setup.provider.stop();
    setup.provider = await startConnectorProcess({ ...setup.env, FEP_SQLITE_SYNCHRONOUS: 'full' }, setup.certs, '');
    await measure({ title: 'USE, prefixed header, FEP_SQLITE_SYNCHRONOUS=full', target: use, shape: 'prefixed', inflight: 1 });
    await measure({
      title: 'N_TIMES_USAGE + USAGE_LOGGING, FEP_SQLITE_SYNCHRONOUS=full',
      target: counted,
      shape: 'prefixed',
      inflight: 16,
    });
    const row = (state: string, now: number, low: number): string => `| ${state} | ${now.toFixed(0)} | ${low.toFixed(0)} |`;
    memory = [
      `| provider process | RSS MiB then | lowest RSS MiB over the next ${SETTLE_MS / 1000} s |`,
      '|---|---|---|',
      row('just started, after the set-up', idle, idleSettled),
      row(`after the first ${first.requests} exchanges (${first.errors} errors)`, afterFirst, afterFirstSettled),
      row(`after all ${exchanges} exchanges`, after, afterSettled),
      row('restarted on the same data directory (the bundle)', restarted, restartedSettled),
      row(`the same restart without the V8 flags of src/common/node.flags.ts (${NODE_FLAGS.join(' ')})`, plain, plainSettled),
      '',
      `The write-ahead log (fep.sqlite-wal) after all ${exchanges} exchanges: ${(wal / MiB).toFixed(1)} MiB.`,
      `After the first ${first.requests} exchanges the settled RSS is ${(afterFirstSettled - idleSettled).toFixed(0)} MiB above idle (V8 keeps a grown`,
      `heap until its memory reducer runs). Restart on the existing data directory to the first answer of \`GET /\``,
      `(polled every ${START_POLL_MS} ms), median of ${RESTARTS}: ${median(restarts.bundle).toFixed(0)} ms for the bundle that \`npm start\` runs,`,
      `${median(restarts.modules).toFixed(0)} ms for the compiled modules it is made from (alternating in this run).`,
    ].join('\n');
  } finally {
    await bare.close();
    await setup.close();
  }
  return `## IDS exchange: one governed ArtifactRequestMessage against bare Node

A provider connector process (SQLite, plain HTTP) and a client on 127.0.0.1 speaking multipart/form-data to \`/data\`
directly: a real DAT from a test DAPS (Omejdn's protocol), a fresh message @id per request, a 1 KiB JSON artifact,
keep-alive. "Bare" is a Node \`http\` server that parses the same multipart request and answers the same bytes.
Bare and connector alternate, ${ROUNDS} rounds of ${ROUND_MS / 1000} s each; medians. A run with errors is no figure.
The connector runs on its defaults (FEP_SQLITE_SYNCHRONOUS=normal: a commit survives a killed process, not a power
cut); the last two rows are a restart with \`full\`, measured after the memory figures.
\`npm run profile:exchange\` writes a CPU profile of the provider under the first row's load (with PROFILE_ALLOCATIONS=1,
what it allocates per exchange instead); \`npm run profile:statements\` counts the calls to sqlite3 of one exchange.

| request | in flight | bare req/s | connector req/s | connector / bare | connector p50 ms | connector p99 ms | bare p50 ms | bare p99 ms | errors |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${memory}
`;
}
