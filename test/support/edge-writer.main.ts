/**
 * Writes 1 kHz windows into an edge store as fast as it can, flushing a batch every 20 ms, and prints the number of
 * committed windows after each flush: the edge-store kill -9 test kills it mid-write. Args: <dir>.
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { SystemClock } from '../../src/common/clock.js';
import { EDGE_MIGRATIONS } from '../../src/data-apps/store/edge.migrations.js';
import { EdgeSegmentEntity } from '../../src/data-apps/entities/edge-segment.entity.js';
import { EdgeWindowEntity } from '../../src/data-apps/entities/edge-window.entity.js';
import { EdgeStore } from '../../src/data-apps/store/edge.store.js';
import { encodeFrame } from '../../src/data-apps/store/window-frame.codec.js';
import { HEALTHY_PUMP, PumpSignal } from '../../src/data-apps/vibration/simulator/pump-signal.generator.js';

const dir = process.argv[2];
const source = new DataSource({
  type: 'sqlite',
  database: join(dir, 'edge.sqlite'),
  entities: [EdgeSegmentEntity, EdgeWindowEntity],
  migrations: EDGE_MIGRATIONS,
  migrationsRun: true,
  enableWAL: true,
});
await source.initialize();
const store = new EdgeStore(
  source.manager,
  { dir: join(dir, 'edge'), maxBytes: 1 << 30, rawMs: 3_600_000, indicatorMs: 86_400_000, segmentBytes: 256 << 10 },
  new SystemClock(),
);
const signal = new PumpSignal(HEALTHY_PUMP, 1000, 11);
let start = Date.now();
for (;;) {
  for (let i = 0; i < 8; i++) {
    const counts = Int16Array.from(signal.next(1024), (v) => Math.round(v / 0.001));
    store.add('kill', {
      asset: 'p',
      channel: 'c',
      startMs: start,
      sampleRateHz: 1000,
      scale: 0.001,
      missing: 0,
      samples: 1024,
      indicators: { i },
      frame: encodeFrame({ startMs: start, sampleRateHz: 1000, scale: 0.001, missing: 0, samples: counts }),
    });
    start += 1024;
  }
  await store.flush();
  console.log(`committed ${store.stats.windows}`);
  await new Promise((r) => setTimeout(r, 20));
}
