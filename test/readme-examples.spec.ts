import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOccupancyConfig } from '../src/data-apps/occupancy/occupancy-config.parser.js';
import { parseVibrationConfig } from '../src/data-apps/vibration/vibration-config.parser.js';
import { readmeExamples } from './support/readme.examples.js';

describe('README examples (the served shapes are checked against them in test/vibration.e2e.ts and test/occupancy.e2e.ts)', () => {
  const examples = readmeExamples();

  it('has the named examples', () => {
    const names = ['vibration-config', 'output-view', 'maintenance-event', 'occupancy-config', 'occupancy-change', 'webhook-body'];
    for (const name of names) assert.ok(examples.has(name), name);
  });

  it('the vibration configuration example is valid, and spells out every default', () => {
    const parsed = parseVibrationConfig(examples.get('vibration-config'));
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const defaults = parseVibrationConfig({ assets: [] });
    assert.ok(defaults.ok);
    const { assets: _a, ...rest } = parsed.config;
    const { assets: _b, ...defaultRest } = defaults.config;
    assert.deepEqual(rest, defaultRest, 'the README shows the defaults of analysis, events, health and conditionEverySeconds');
  });

  it('the occupancy configuration example is valid, and spells out every default', () => {
    const parsed = parseOccupancyConfig(examples.get('occupancy-config'));
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const defaults = parseOccupancyConfig({ cameras: [] });
    assert.ok(defaults.ok);
    const { cameras: _a, ...rest } = parsed.config;
    const { cameras: _b, ...defaultRest } = defaults.config;
    assert.deepEqual(rest, defaultRest, 'the README shows the defaults of detection, smoothing and series');
    assert.equal(parsed.config.cameras.length, 2);
  });
});
