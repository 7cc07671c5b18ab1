import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssetEvents } from './asset-events.analytics.js';
import type { EventDraft } from './condition.analytics.js';

const zone = (from: string | null, to: string, vRms = 5): EventDraft => ({
  kind: 'zone-change',
  severity: to === 'D' ? 'critical' : to === 'C' ? 'alarm' : 'info',
  message: `ISO 10816-3 zone ${from ?? '(none)'} -> ${to}: velocity RMS ${vRms.toFixed(2)} mm/s`,
  evidence: { from, to, vRmsMmS: vRms },
});
const fault = (state: 'raised' | 'cleared'): EventDraft => ({
  kind: 'bearing-fault',
  severity: state === 'raised' ? 'alarm' : 'info',
  message: `outer race (BPFO) bearing-fault signature ${state}`,
  evidence: { state, fault: 'bpfo' },
});

describe('one maintenance event per asset and kind (#26.2)', () => {
  it('the same zone from two channels seconds apart is one event; the asset leaves a zone when its last channel does', () => {
    const events = new AssetEvents(3_600_000);
    const first = events.offer('drive-end', zone(null, 'D'), 0);
    assert.equal(first?.draft.message, 'ISO 10816-3 zone (none) -> D: velocity RMS 5.00 mm/s');
    assert.deepEqual(first?.channels, ['drive-end']);
    assert.equal(events.offer('module', zone(null, 'D', 4.6), 3000), undefined, 'told already');
    assert.equal(events.offer('drive-end', zone('D', 'B', 2), 6000), undefined, 'the module still says D');
    const down = events.offer('module', zone('D', 'A', 1), 9000);
    assert.equal(down?.draft.message, 'ISO 10816-3 zone D -> B: velocity RMS 1.00 mm/s');
    assert.equal(down?.draft.severity, 'info');
    assert.deepEqual(down?.draft.evidence['channels'], ['drive-end']);
    assert.deepEqual(down?.channels, ['drive-end']);
  });

  it('a fault is raised once while any channel holds it, and cleared once when none does', () => {
    const events = new AssetEvents(3_600_000);
    assert.deepEqual(events.offer('drive-end', fault('raised'), 0)?.channels, ['drive-end']);
    assert.equal(events.offer('module', fault('raised'), 1000), undefined);
    assert.equal(events.offer('drive-end', fault('cleared'), 2000), undefined, 'the module still holds it');
    assert.deepEqual(events.offer('module', fault('cleared'), 3000)?.channels, ['drive-end', 'module']);
  });

  it('zones from before a restart are the asset’s starting point: nothing is told for them', () => {
    const events = new AssetEvents(3_600_000);
    events.seedZone('drive-end', 'D');
    events.seedZone('module', 'D');
    assert.equal(events.offer('drive-end', zone('D', 'C', 3), 0), undefined);
    assert.equal(events.offer('module', zone('D', 'C', 3), 1000)?.draft.message, 'ISO 10816-3 zone D -> C: velocity RMS 3.00 mm/s');
  });

  it('a prediction of a boundary is told once while it stands', () => {
    const events = new AssetEvents(3_600_000);
    const predicted: EventDraft = { kind: 'predicted-threshold', severity: 'warning', message: 'reaches C', evidence: { boundary: 'C' } };
    assert.ok(events.offer('drive-end', predicted, 0));
    assert.equal(events.offer('module', predicted, 60_000), undefined);
    assert.ok(events.offer('module', predicted, 3_600_001));
  });
});
