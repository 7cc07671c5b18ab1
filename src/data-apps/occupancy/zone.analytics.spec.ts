import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Box } from './yolo.decoder.js';
import { countInZone, insidePolygon, OccupancySeries, OccupancySmoother, type Point } from './zone.analytics.js';

const person = (x: number, y: number): Box => ({ x1: x - 20, y1: y - 100, x2: x + 20, y2: y, score: 0.9 });

describe('occupancy per zone', () => {
  const desk: Point[] = [
    [100, 100],
    [300, 100],
    [300, 300],
    [100, 300],
  ];

  it('counts a person where they stand: the bottom centre of the box inside the polygon', () => {
    assert.ok(insidePolygon([200, 200], desk));
    assert.ok(!insidePolygon([50, 200], desk));
    // Head inside, feet outside: not in the zone; feet inside, head above it: in.
    assert.equal(countInZone([person(200, 350), person(200, 250), person(400, 250)], desk), 1);
    assert.equal(countInZone([person(200, 350), person(200, 250)], null), 2, 'no polygon: the whole image');
  });

  it('does not report a flickering detection; reports a sustained change once', () => {
    const s = new OccupancySmoother({ window: 5, hysteresis: 2, holdMs: 10_000 });
    const raw = [3, 3, 3, 4, 3, 2, 3, 3, 4, 3];
    const changes = raw.map((c, i) => s.observe(c, i * 1000)).filter((c) => c !== undefined);
    assert.deepEqual(changes, [{ from: null, to: 3, at: 2000 }]);
    // Everyone leaves: a change of 3 is over the hysteresis, reported as soon as the median moves.
    const out = [0, 0, 0, 0, 0].map((c, i) => s.observe(c, 20_000 + i * 1000)).filter((c) => c !== undefined);
    assert.deepEqual(out, [{ from: 3, to: 0, at: 22_000 }]);
  });

  it('reports a small change once it has held for holdMs', () => {
    const s = new OccupancySmoother({ window: 1, hysteresis: 2, holdMs: 5000 });
    s.observe(2, 0);
    s.observe(2, 1000);
    s.observe(2, 2000);
    assert.equal(s.observe(3, 3000), undefined);
    assert.equal(s.observe(3, 6000), undefined);
    assert.deepEqual(s.observe(3, 8000), { from: 2, to: 3, at: 8000 });
  });

  it('keeps a time series at its resolution', () => {
    const series = new OccupancySeries(60_000);
    assert.equal(series.add(2, 0), undefined);
    assert.equal(series.add(4, 30_000), undefined);
    assert.deepEqual(series.add(1, 60_000), { start: 0, end: 60_000, mean: 3, min: 2, max: 4, frames: 2 });
  });
});
