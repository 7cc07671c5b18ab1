import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { SystemClock } from '../src/common/clock.js';
import { PROJECT_ROOT } from '../src/common/project-root.js';
import { EDGE_MIGRATIONS } from '../src/data-apps/store/edge.migrations.js';
import { EdgeSegmentEntity } from '../src/data-apps/entities/edge-segment.entity.js';
import { EdgeWindowEntity } from '../src/data-apps/entities/edge-window.entity.js';
import { EdgeStore } from '../src/data-apps/store/edge.store.js';
import { waitFor } from './support/wait.js';

/** kill -9 of a process writing the edge store: at most the batch in flight is lost, and the store is whole. */
describe('edge store under kill -9 (e2e, separate process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-edge-kill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every committed window, readable, and cuts the segment files back to what was committed', async () => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist-test', 'test', 'support', 'edge-writer.main.js'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    await waitFor(
      'a few hundred windows written',
      () => Number(/committed (\d+)\n(?![\s\S]*committed)/.exec(output)?.[1] ?? 0) >= 400,
      30_000,
    );
    // Mid-write: a batch is between its file write and its commit about half of the time.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const printed = [...output.matchAll(/committed (\d+)/g)].map((m) => Number(m[1]));
    const lastReported = printed[printed.length - 1];

    const source = new DataSource({
      type: 'sqlite',
      database: join(dir, 'edge.sqlite'),
      entities: [EdgeSegmentEntity, EdgeWindowEntity],
      migrations: EDGE_MIGRATIONS,
      migrationsRun: true,
    });
    await source.initialize();
    try {
      const store = new EdgeStore(
        source.manager,
        { dir: join(dir, 'edge'), maxBytes: 1 << 30, rawMs: 3_600_000, indicatorMs: 86_400_000, segmentBytes: 256 << 10 },
        new SystemClock(),
      );
      await store.flush(); // recovery
      const rows = await source.manager.find(EdgeWindowEntity, { order: { id: 'ASC' } });
      assert.ok(rows.length >= lastReported, `${rows.length} rows, ${lastReported} reported committed`);
      assert.ok(rows.length <= lastReported + 8, 'at most the one batch in flight beyond what was reported');
      assert.equal(rows.length % 8, 0, 'whole batches only');
      for (const row of rows) {
        assert.notEqual(row.segmentId, null);
        const frame = await store.samples('kill', row.id); // CRC-checked
        assert.equal(frame.samples.length, 1024);
        assert.equal(frame.startMs, row.startMs);
      }
      for (const segment of await source.manager.find(EdgeSegmentEntity)) {
        assert.equal(statSync(join(dir, 'edge', segment.file)).size, segment.bytes, `${segment.file} holds exactly its committed frames`);
      }
      const next = rows[rows.length - 1].startMs + 1024;
      store.add('kill', {
        asset: 'p',
        channel: 'c',
        startMs: next,
        sampleRateHz: 1000,
        scale: 1,
        missing: 0,
        samples: 1,
        indicators: {},
        frame: (await import('../src/data-apps/store/window-frame.codec.js')).encodeFrame({
          startMs: next,
          sampleRateHz: 1000,
          scale: 1,
          missing: 0,
          samples: Int16Array.of(5),
        }),
      });
      await store.flush();
      const last = (await store.windows('kill', { fromMs: next, page: 0, size: 1 })).items[0];
      assert.deepEqual(Array.from((await store.samples('kill', last.id)).samples), [5], 'the store takes writes again');
      await store.close();
    } finally {
      await source.destroy();
    }
  });
});
