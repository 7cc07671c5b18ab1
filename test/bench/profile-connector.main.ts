/**
 * The connector for `npm run profile:exchange`: as main.ts, but SIGTERM closes the app and exits normally, so that
 * `--cpu-prof` can write its profile (Nest's shutdown hooks re-raise the signal, and a process ended by a signal
 * writes none). With PROFILE_ALLOCATIONS=<file> it also samples every allocation, those the garbage collector has
 * already taken back included (V8's sampling heap profiler with the `includeObjectsCollectedBy*GC` flags), and
 * writes the sampling profile to that file: what a request allocates is what the young generation has to collect.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { buildApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/app.settings.js';
import { readEnvironment } from '../../src/config/environment.reader.js';

const allocations = process.env['PROFILE_ALLOCATIONS'];
const session = new Session();
if (allocations !== undefined) {
  session.connect();
  // The two flags are in V8's protocol (Node 20's V8 has them), not yet in @types/node.
  const sampling = { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
  await session.post('HeapProfiler.startSampling', sampling as { samplingInterval: number });
}
const config = loadConfig(readEnvironment());
const { app } = await buildApp(config, { logger: ['error', 'warn'] });
process.once('SIGTERM', () => {
  void (async () => {
    if (allocations !== undefined) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(allocations, JSON.stringify(profile));
    }
    await app.close();
    process.exit(0);
  })();
});
await app.listen(config.server.port, config.server.host);
