/**
 * `npm run profile:exchange`: the provider of the "exchange" bench under its first row's load (USE, INFLIGHT requests
 * in flight, default 16, for PROFILE_SECONDS, default 20), started with `--cpu-prof`; writes the V8 CPU profile to `profiles/` (open it in
 * Chrome DevTools) and prints the functions with the most self time, so the next optimisation starts from evidence.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/common/project-root.js';
import { spawnConnector } from './bench.support.js';
import { artifactRequest, load } from './exchange.load.js';
import { setupExchange } from './exchange.setup.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const dir = join(PROJECT_ROOT, 'profiles');
mkdirSync(dir, { recursive: true });
const before = new Set(readdirSync(dir));
const seconds = Number(process.env['PROFILE_SECONDS'] ?? 20);
const inflight = Number(process.env['INFLIGHT'] ?? 16);
const setup = await setupExchange((env) =>
  spawnConnector(join('test', 'bench', 'profile-connector.main.js'), env, ['--cpu-prof', `--cpu-prof-dir=${dir}`]),
);
const { client, token, use } = setup;
const result = await load(
  `${setup.base}/data`,
  () => artifactRequest('prefixed', client.connectorId, use.artifact, use.agreement, token),
  inflight,
  seconds * 1000,
  'readings',
);
console.log(
  `${result.requests} exchanges, ${result.perSecond.toFixed(0)}/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${result.errors} errors`,
);
await setup.close();
const file = readdirSync(dir).find((f) => !before.has(f) && f.endsWith('.cpuprofile'));
if (file === undefined) throw new Error('no profile was written');
const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: ProfileNode[] };
const total = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
const self = new Map<string, number>();
for (const node of profile.nodes) {
  const where = node.callFrame.url.replace(/^file:\/\//, '').replace(PROJECT_ROOT, '.');
  const key = `${node.callFrame.functionName || '(anonymous)'} ${where}:${node.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0));
}
console.log(`profile: ${join('profiles', file)} (${total} samples); most self time:`);
for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${((100 * hits) / total).toFixed(1).padStart(5)} %  ${key}`);
}
