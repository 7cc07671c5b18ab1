import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyDelta, deltaOf, type Json } from './live.delta.js';

describe('live snapshot deltas (#26.13)', () => {
  it('round-trips: nulls kept, members added and removed, arrays slid, replaced, emptied', () => {
    const history = (from: number, to: number): Json[] =>
      Array.from({ length: to - from }, (_, i) => ({ seq: from + i, value: { n: from + i, e: null } }));
    const cases: [Json, Json][] = [
      [
        { a: 1, b: null, c: { d: [1, 2] } },
        { a: 2, b: null, c: { d: [1, 2, 3] }, e: 'x' },
      ],
      [{ a: 1, b: 'gone' }, { a: 1 }],
      [{ h: history(0, 100) }, { h: history(3, 105) }],
      [{ h: history(0, 10) }, { h: history(50, 60) }],
      [{ h: [1, 2, 3] }, { h: [] }],
      [{ x: null }, { x: { y: 1 } }],
      [{ x: { y: 1 } }, { x: null }],
      [[{ a: 1 }], { a: 1 }],
      [
        {
          apps: [
            { n: 'a', c: { x: 1 } },
            { n: 'b', c: { x: 1 } },
          ],
        },
        {
          apps: [
            { n: 'a', c: { x: 2 } },
            { n: 'b', c: { x: 1 } },
          ],
        },
      ],
      [
        [1, 2, 3, 4, 5, 6],
        [9, 8, 7, 6, 5, 4],
      ],
    ];
    for (const [before, after] of cases) {
      const d = deltaOf(before, after);
      assert.ok(d !== undefined);
      assert.deepEqual(applyDelta(before, d), after, JSON.stringify({ before, after, d }));
    }
    assert.equal(deltaOf({ a: [1, { b: null }] }, { a: [1, { b: null }] }), undefined, 'equal: no delta');
  });

  it('a history window sliding by two entries costs those entries, not the window', () => {
    const entry = (i: number): Json => ({
      seq: i,
      at: `2026-12-01T10:00:${String(i % 60).padStart(2, '0')}Z`,
      value: { zone: 'B', vRms: 1.5 + i / 100, channels: { a: 1, b: 2 } },
    });
    const before = { at: 't1', history: Array.from({ length: 200 }, (_, i) => entry(i)) };
    const after = { at: 't2', history: Array.from({ length: 200 }, (_, i) => entry(i + 2)) };
    const d = deltaOf(before, after)!;
    const size = JSON.stringify(d).length;
    assert.ok(size < 3 * JSON.stringify(entry(0)).length + 40, `${size} bytes for a window of ${JSON.stringify(after).length}`);
    assert.deepEqual(applyDelta(before, d), after);
  });
});
