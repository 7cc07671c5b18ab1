import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { FixedClock } from '../../common/clock.js';
import { EDGE_MIGRATIONS } from './edge.migrations.js';
import type { EncodedWindow } from '../data-app.contract.js';
import { EdgeSegmentEntity } from '../entities/edge-segment.entity.js';
import { EdgeWindowEntity } from '../entities/edge-window.entity.js';
import { HEALTHY_PUMP, PumpSignal } from '../vibration/simulator/pump-signal.generator.js';
import { EdgeStore, type EdgeStoreOptions } from './edge.store.js';
import { encodeFrame } from './window-frame.codec.js';

const signal = new PumpSignal(HEALTHY_PUMP, 1000, 5);
function window(startMs: number, n = 1024): EncodedWindow & { counts: Int16Array } {
  const counts = Int16Array.from(signal.next(n), (v) => Math.round(v / 0.001));
  return {
    asset: 'pump-1',
    channel: 'de',
    startMs,
    sampleRateHz: 1000,
    scale: 0.001,
    missing: 0,
    samples: n,
    indicators: { vRms: 1.2 },
    frame: encodeFrame({ startMs, sampleRateHz: 1000, scale: 0.001, missing: 0, samples: counts }),
    counts,
  };
}

describe('edge store (real SQLite file and segment files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-edge-spec-'));
  const source = new DataSource({ type: 'sqlite', database: join(dir, 'edge.sqlite'), entities: [EdgeSegmentEntity, EdgeWindowEntity], migrations: EDGE_MIGRATIONS, migrationsRun: true });
  const clock = new FixedClock(new Date('2026-12-01T00:00:00Z'));
  const options: EdgeStoreOptions = { dir: join(dir, 'edge'), maxBytes: 1 << 30, rawMs: 3_600_000, indicatorMs: 86_400_000, segmentBytes: 1 << 20 };
  before(() => source.initialize().then(() => undefined));
  after(async () => {
    await source.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes windows in batches and reads them back by asset and time range, samples exact', async () => {
    const store = new EdgeStore(source.manager, options, clock);
    const t0 = clock.now().getTime();
    const written = Array.from({ length: 10 }, (_, i) => window(t0 + i * 1024));
    for (const w of written) store.add('vib', w);
    await store.flush();
    const page = await store.windows('vib', { asset: 'pump-1', fromMs: t0 + 2048, toMs: t0 + 5 * 1024, page: 0, size: 10 });
    assert.equal(page.total, 4);
    assert.deepEqual(JSON.parse(page.items[0].indicators), { vRms: 1.2 });
    const back = await store.samples('vib', page.items[0].id);
    assert.deepEqual(Array.from(back.samples), Array.from(written[2].counts));
    assert.equal(store.stats.batches, 1);
    await store.close();
  });

  it('after a crash between writing a batch and committing it, the uncommitted bytes are cut off and nothing else changes', async () => {
    const segment = (await source.manager.find(EdgeSegmentEntity, { order: { id: 'DESC' } }))[0];
    const file = join(options.dir, segment.file);
    appendFileSync(file, Buffer.from(window(0).frame)); // a batch that reached the disk, not the database
    const store = new EdgeStore(source.manager, options, clock);
    store.add('vib', window(clock.now().getTime() + 20_000));
    await store.flush();
    assert.equal(statSync(file).size, segment.bytes, 'cut back to the committed length');
    const all = await store.windows('vib', { page: 0, size: 100 });
    assert.equal(all.total, 11);
    for (const row of all.items) await store.samples('vib', row.id); // every committed frame decodes (CRC checked)
    await store.close();
  });

  it('if committed bytes are missing on disk, their windows keep their indicators and say the raw samples are gone', async () => {
    const segment = (await source.manager.find(EdgeSegmentEntity, { order: { id: 'ASC' } }))[0];
    truncateSync(join(options.dir, segment.file), segment.bytes - 10);
    const store = new EdgeStore(source.manager, options, clock);
    await store.flush();
    const rows = await source.manager.find(EdgeWindowEntity, { order: { id: 'ASC' } });
    const lost = rows.filter((r) => r.segmentId === null);
    assert.equal(lost.length, 1, 'only the torn frame');
    await assert.rejects(store.samples('vib', lost[0].id), /past retention|raw samples/);
    await store.close();
  });

  it('keeps raw bytes within FEP_EDGE_MAX_BYTES by removing whole old segments, and indicator rows by age', async () => {
    const small = { ...options, dir: join(dir, 'small'), segmentBytes: 64 << 10, maxBytes: 128 << 10 };
    const store = new EdgeStore(source.manager, small, clock);
    const before = await source.manager.count(EdgeWindowEntity);
    for (let i = 0; i < 200; i++) {
      store.add('small', window(clock.now().getTime() + i * 1024));
      if (i % 10 === 9) await store.flush();
    }
    await store.flush();
    const result = await store.retain();
    assert.ok(result.segments > 0);
    const files = readdirSync(join(small.dir, 'small'));
    const bytes = files.reduce((n, f) => n + statSync(join(small.dir, 'small', f)).size, 0);
    assert.ok(bytes <= small.maxBytes, `${bytes} bytes on disk`);
    const rows = await source.manager.find(EdgeWindowEntity, { where: { app: 'small' } });
    assert.equal(rows.length, 200, 'indicator rows stay');
    assert.ok(rows.some((r) => r.segmentId === null) && rows.some((r) => r.segmentId !== null));
    clock.advance(2 * 86_400_000);
    const aged = await store.retain();
    assert.equal(aged.rows, 200 + before);
    assert.equal(await source.manager.count(EdgeWindowEntity), 0);
    assert.equal(readdirSync(join(small.dir, 'small')).length, 0, 'raw past FEP_EDGE_RAW_HOURS is gone too');
    await store.close();
  });
});
