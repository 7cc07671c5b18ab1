import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UseCounters } from './use.counters.js';
import type { CounterKey } from './usage.repository.js';

const key: CounterKey = { side: 'provider', agreementIri: 'urn:agreement:1', target: 'urn:artifact:1' };

describe('UseCounters (unit)', () => {
  it('held: reads a key once, however many ask at the same time, then counts reservations in memory', async () => {
    const reads: CounterKey[] = [];
    const counters = new UseCounters(true, (k) => {
      reads.push(k);
      return Promise.resolve(4);
    });
    assert.deepEqual(await Promise.all([counters.uses(key), counters.uses(key), counters.uses(key)]), [4, 4, 4]);
    assert.equal(reads.length, 1);
    assert.equal(counters.reserve(key, 6), true);
    assert.equal(counters.reserve(key, 6), true);
    assert.equal(counters.reserve(key, 6), false, 'the limit is reached by reservations alone');
    counters.unreserve(key);
    assert.equal(await counters.uses(key), 5);
    assert.equal(reads.length, 1);
  });

  it('held: a failed read is not kept (the next asks again), and a reservation needs the read first', async () => {
    let fail = true;
    const counters = new UseCounters(true, () => (fail ? Promise.reject(new Error('SQLITE_IOERR')) : Promise.resolve(0)));
    await assert.rejects(counters.uses(key), /SQLITE_IOERR/);
    assert.throws(() => counters.reserve(key, 1), /were not read/);
    fail = false;
    assert.equal(await counters.uses(key), 0);
  });

  it('not held: every read goes to the store', async () => {
    let stored = 1;
    const counters = new UseCounters(false, () => Promise.resolve(stored));
    assert.equal(await counters.uses(key), 1);
    stored = 2;
    assert.equal(await counters.uses(key), 2);
  });
});
