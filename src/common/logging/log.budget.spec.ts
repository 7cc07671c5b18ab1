import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogBudget } from './log.budget.js';

describe('LogBudget', () => {
  it('lets N lines through per window, counts the rest and says how many when the next window opens', () => {
    let now = 0;
    const told: number[] = [];
    const budget = new LogBudget(
      3,
      1000,
      () => now,
      (count) => told.push(count),
    );
    const first = Array.from({ length: 10 }, () => budget.take());
    assert.deepEqual(first, [true, true, true, false, false, false, false, false, false, false]);
    assert.deepEqual(told, []);
    now = 999;
    assert.equal(budget.take(), false, 'the window is still the first one');
    now = 1000;
    assert.equal(budget.take(), true);
    assert.deepEqual(told, [8], 'the 8 lines left out of the first window');
    now = 5000;
    assert.equal(budget.take(), true);
    assert.deepEqual(told, [8], 'nothing was left out of the second window');
  });
});
