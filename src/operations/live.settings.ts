import { int } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';

/** The live page's feed of server-sent events. */
export const liveSettings = defineArea('live', {
  pushMs: setting(
    'FEP_LIVE_PUSH_MS',
    int(20, 600_000),
    2000,
    'how often the live page’s feed sends what changed (one snapshot and one delta for all open pages)',
  ),
  maxClients: setting('FEP_LIVE_MAX_CLIENTS', int(1, 10_000), 16, 'live pages open at once at most (more are answered 503)'),
  maxBacklogBytes: setting(
    'FEP_LIVE_MAX_BACKLOG_BYTES',
    int(64 * 1024, 1 << 30),
    1 << 20,
    'bytes a live page may leave unread before its feed is closed (a client that does not read costs no more)',
  ),
});
export type LiveSettings = SettingsOf<typeof liveSettings>;
