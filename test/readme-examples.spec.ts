import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseVibrationConfig } from '../src/data-apps/vibration/vibration-config.parser.js';
import { readmeExamples } from './support/readme.examples.js';

describe('README examples (the served shapes are checked against them in test/vibration.e2e.ts)', () => {
  const examples = readmeExamples();

  it('has the named examples', () => {
    for (const name of ['vibration-config', 'output-view', 'maintenance-event']) assert.ok(examples.has(name), name);
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
});
