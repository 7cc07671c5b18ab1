import { int } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';

/** Background work: how often jobs look for work, and how far their retries back off. */
export const runtimeSettings = defineArea('runtime', {
  pollMs: setting(
    'FEP_SERVICE_POLL_MS',
    int(10, 3_600_000),
    2000,
    'how often the clearing-house outbox and broker retries look for due work',
  ),
  retryMaxMs: setting(
    'FEP_SERVICE_RETRY_MAX_MS',
    int(10, 86_400_000),
    60_000,
    'longest backoff between retries to the broker or clearing house (it doubles from FEP_SERVICE_POLL_MS)',
  ),
});
export type RuntimeSettings = SettingsOf<typeof runtimeSettings>;
