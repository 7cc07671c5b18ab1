import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulatorConfig } from './vibration.app.js';
import { parseVibrationConfig } from './vibration-config.parser.js';

function problems(raw: unknown): Record<string, string> {
  const parsed = parseVibrationConfig(raw);
  assert.equal(parsed.ok, false, 'expected problems');
  return Object.fromEntries((parsed as { problems: { field: string; reason: string }[] }).problems.map((p) => [p.field, p.reason]));
}

describe('vibration app configuration', () => {
  it('parses the simulator example, and its own output again (what is stored is what is read back)', () => {
    const first = parseVibrationConfig(simulatorConfig(1502));
    assert.ok(first.ok);
    const again = parseVibrationConfig(JSON.parse(JSON.stringify(first.config)));
    assert.ok(again.ok, JSON.stringify(again));
    assert.deepEqual(again.config, first.config);
    assert.equal(first.config.assets[0].machine.group, 2);
  });

  it('names every bad field, with its path', () => {
    const raw = simulatorConfig(1502) as { assets: Record<string, any>[] };
    raw.assets[0].plc.port = 'x';
    raw.assets[0].channels[0].waveform.samplesPerBlock = 124;
    raw.assets[0].colour = 'red';
    const found = problems({ ...raw, analysis: { windowSamples: 3000 } });
    assert.equal(found['assets[0].plc.port'], 'must be a number');
    assert.match(found['assets[0].channels[0].waveform.samplesPerBlock'], /exceeds the 125 a Modbus read may return/);
    assert.match(found['assets[0].colour'], /unknown setting/);
    assert.match(found['analysis.windowSamples'], /power of two/);
  });

  it('refuses what is not an object, an asset without data, duplicates and a sampling rate too low for the resonance band', () => {
    assert.ok('' in problems([]));
    const raw = simulatorConfig(1502) as { assets: Record<string, any>[] };
    const found = problems({
      assets: [
        { id: 'p', plc: { host: '127.0.0.1' } },
        { ...raw.assets[0], id: 'p' },
        { ...raw.assets[0], id: 'q', channels: [{ id: 'c', waveform: { sampleRateHz: 500 } }] },
      ],
    });
    assert.match(found['assets[0]'], /needs waveform channels or characteristic values/);
    assert.match(found['assets[1]'], /used twice/);
    assert.match(found['assets[2].channels[0].waveform.sampleRateHz'], /above twice/);
  });
});
