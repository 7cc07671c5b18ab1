import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeOf } from './ngsi-ld.channel.js';
import { entitiesOf } from './ngsi-ld.mapper.js';

describe('NGSI-LD: what a broker’s answer means, and entities without nulls', () => {
  it('201 and 204 are delivered; 207 with errors and other 4xx are dead letters with the answer; 408, 429, 5xx are retried', () => {
    assert.deepEqual(outcomeOf(201, '["urn:a"]'), { outcome: 'delivered' });
    assert.deepEqual(outcomeOf(204, ''), { outcome: 'delivered' });
    assert.deepEqual(outcomeOf(207, JSON.stringify({ success: ['urn:a'], errors: [] })), { outcome: 'delivered' });
    const partial = outcomeOf(207, JSON.stringify({ success: ['urn:a'], errors: [{ entityId: 'urn:b', error: { title: 'bad value' } }] }));
    assert.equal(partial.outcome, 'dead');
    assert.match('reason' in partial ? partial.reason : '', /refused 1 of the batch's entities \(HTTP 207\): urn:b \(bad value\)/);
    for (const status of [400, 403, 404, 409, 413, 422]) {
      const out = outcomeOf(status, '{"title":"BadRequestData"}');
      assert.equal(out.outcome, 'dead', String(status));
      assert.match('reason' in out ? out.reason : '', /BadRequestData/);
    }
    for (const status of [408, 429, 500, 502, 503]) assert.throws(() => outcomeOf(status, ''), new RegExp(`HTTP ${status}`));
  });

  it('a condition before the first zone judgement has no vibrationZone attribute (null is not a value), and no null inside values', () => {
    const [pump] = entitiesOf('node', {
      app: 'vibration',
      output: 'condition',
      key: 'pump-1',
      at: '2026-01-01T00:00:00Z',
      value: { asset: 'pump-1', zone: null, channels: { de: { vRms: 1.2, health: null, indicators: { kurtosis: 3, crest: null } } } },
    });
    assert.equal(pump['vibrationZone'], undefined);
    assert.doesNotMatch(JSON.stringify(pump), /null/);
    assert.deepEqual((pump['indicators'] as { value: unknown }).value, { de: { kurtosis: 3 } });
  });
});
