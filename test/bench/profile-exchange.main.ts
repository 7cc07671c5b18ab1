/**
 * `npm run profile:exchange`: the provider of the "exchange" bench under its first row's load (USE, INFLIGHT requests
 * in flight, default 16, for PROFILE_SECONDS, default 20), started with `--cpu-prof`; writes the V8 CPU profile to
 * `profiles/` (open it in Chrome DevTools) and prints the functions with the most self time, so the next
 * optimisation starts from evidence. With PROFILE_ALLOCATIONS=1 it samples what the provider allocates instead
 * (garbage included) into a `.heapprofile` and prints the functions that allocate the most per exchange: the young
 * generation's collections, and with them the latency's tail, follow that figure (the sampling slows the process
 * down, so the two are separate runs). PROFILE_TARGET=counted profiles the N_TIMES_USAGE + USAGE_LOGGING offer,
 * PROFILE_SHAPE=unprefixed the header with the IDS context URL and plain terms.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { spawnConnector } from './bench.support.js';
import { artifactRequest, load, type HeaderShape } from './exchange.load.js';
import { setupExchange } from './exchange.setup.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: AllocationNode[];
}

const dir = join(PROJECT_ROOT, 'profiles');
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));
const seconds = Number(process.env['PROFILE_SECONDS'] ?? 20);
const inflight = Number(process.env['INFLIGHT'] ?? 16);
const allocations =
  process.env['PROFILE_ALLOCATIONS'] === '1'
    ? join(dir, `exchange-${new Date().toISOString().replace(/[:.]/g, '-')}.heapprofile`)
    : undefined;
const setup = await setupExchange((env) =>
  allocations === undefined
    ? spawnConnector(join('test', 'bench', 'profile-connector.main.js'), env, ['--cpu-prof', `--cpu-prof-dir=${dir}`])
    : spawnConnector(join('test', 'bench', 'profile-connector.main.js'), { ...env, PROFILE_ALLOCATIONS: allocations }),
);
const { client, token } = setup;
const target = process.env['PROFILE_TARGET'] === 'counted' ? setup.counted : setup.use;
const shape: HeaderShape = process.env['PROFILE_SHAPE'] === 'unprefixed' ? 'unprefixed' : 'prefixed';
const result = await load(
  `${setup.base}/data`,
  () => artifactRequest(shape, client.connectorId, target.artifact, target.agreement, token),
  inflight,
  seconds * 1000,
  'readings',
);
console.log(
  `${result.requests} exchanges, ${result.perSecond.toFixed(0)}/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${result.errors} errors`,
);
await setup.close();

const where = (frame: AllocationNode['callFrame']): string =>
  `${frame.functionName || '(anonymous)'} ${frame.url.replace(/^file:\/\//, '').replace(PROJECT_ROOT, '.')}:${frame.lineNumber + 1}`;
const top = (totals: Map<string, number>, n: number): [string, number][] => [...totals].sort((a, b) => b[1] - a[1]).slice(0, n);

if (allocations === undefined) {
  const file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.cpuprofile'));
  if (file === undefined) throw new Error('no profile was written');
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
  const total = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const self = new Map<string, number>();
  for (const node of profile.nodes) self.set(where(node.callFrame), (self.get(where(node.callFrame)) ?? 0) + (node.hitCount ?? 0));
  console.log(`CPU profile: ${join('profiles', file)} (${total} samples); most self time:`);
  for (const [key, hits] of top(self, 30)) console.log(`${((100 * hits) / total).toFixed(1).padStart(5)} %  ${key}`);
} else {
  // The sampling covers the set-up's few requests too: per exchange is an upper bound, close at this many exchanges.
  const heap = JSON.parse(readFileSync(allocations, 'utf8')) as { head: AllocationNode };
  const allocated = new Map<string, number>();
  let bytes = 0;
  const walk = (node: AllocationNode): void => {
    bytes += node.selfSize;
    allocated.set(where(node.callFrame), (allocated.get(where(node.callFrame)) ?? 0) + node.selfSize);
    node.children.forEach(walk);
  };
  walk(heap.head);
  const perExchange = (n: number): string => `${(n / result.requests / 1024).toFixed(2)} KiB`;
  console.log(
    `allocation profile: ${join('profiles', allocations.split('/').pop()!)}; ${perExchange(bytes)} per exchange; most allocated:`,
  );
  for (const [key, size] of top(allocated, 30)) console.log(`${perExchange(size).padStart(10)}  ${key}`);
}
