import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryReplayGuard } from './replay.guard.js';

describe('MemoryReplayGuard', () => {
  it('refuses an id seen before, until it is forgotten at its expiry', async () => {
    const guard = new MemoryReplayGuard();
    assert.equal(await guard.firstSeen('m1', 2000, 1000), true);
    assert.equal(await guard.firstSeen('m1', 2000, 1999), false);
    assert.equal(await guard.firstSeen('m1', 2000, 2000), false, 'remembered up to and including its expiry');
    assert.equal(await guard.firstSeen('m1', 5000, 2001), true, 'forgotten after it');
  });

  it('forgets expired ids as time goes on, looking only at the oldest (constant work per message)', async () => {
    // Hardening finding 6: the guard walked every entry on every message.
    const guard = new MemoryReplayGuard();
    for (let i = 0; i < 10_000; i++) await guard.firstSeen(`old-${i}`, 1000 + i, 0);
    assert.equal(guard.size, 10_000);
    await guard.firstSeen('late', 100_000, 20_000);
    assert.equal(guard.size, 1, 'all the expired ones are gone');
    assert.equal(await guard.firstSeen('late', 100_000, 20_001), false);
  });

  it('keeps an id whose expiry is later than those behind it', async () => {
    const guard = new MemoryReplayGuard();
    await guard.firstSeen('long', 10_000, 0);
    await guard.firstSeen('short', 100, 0);
    assert.equal(await guard.firstSeen('short', 200, 150), true, 'expired, though behind a long-lived one');
    assert.equal(await guard.firstSeen('long', 10_000, 150), false);
  });
});
