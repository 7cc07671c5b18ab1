import { simulatorConfig } from '../../src/data-apps/vibration/vibration.app.js';

type Json = Record<string, any>;

/** Small windows and short debounce, so that a fault shows within seconds of real 1 kHz sampling. */
export function fastVibrationConfig(port: number): Json {
  return simulatorConfig(port, {
    analysis: { windowSamples: 1024, resonanceBand: { lowHz: 250, highHz: 480 } },
    events: { debounce: { k: 2, n: 3 }, baselineWindows: 5 } as never,
    conditionEverySeconds: 1,
  });
}
