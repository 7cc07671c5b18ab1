import { int } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';

/** The consumer side: what it accepts, and how often received data past its deadline is deleted. */
export const consumerSettings = defineArea('consumer', {
  receiveMaxBytes: setting(
    'FEP_RECEIVE_MAX_BYTES',
    int(1, Number.MAX_SAFE_INTEGER),
    1 << 30,
    'largest artifact accepted as consumer; a larger one is refused and nothing of it is kept',
  ),
  deletionSweepMs: setting(
    'FEP_DELETION_SWEEP_MS',
    int(100, 86_400_000),
    60_000,
    'how often received data past its USAGE_UNTIL_DELETION deadline is deleted (it is also refused on read at once)',
  ),
});
export type ConsumerSettings = SettingsOf<typeof consumerSettings>;
