import { bool, int, pathList } from '../config/setting.parsers.js';
import { defineArea, setting, type SettingsOf } from '../config/setting.js';

/** The catalog: the demo content, uploads, and where artifact bytes may come from. */
export const catalogSettings = defineArea('catalog', {
  demo: setting(
    'FEP_DEMO',
    bool,
    false,
    'seed the demo catalog (and start the demo data apps on simulated sensors) on an empty database',
    'false (`npm start` sets true)',
  ),
  uploadMaxBytes: setting('FEP_UPLOAD_MAX_BYTES', int(1, Number.MAX_SAFE_INTEGER), 1 << 30, 'largest artifact upload (larger: 413)'),
  fileSourceDirs: setting(
    'FEP_FILE_SOURCE_DIRS',
    pathList,
    [],
    'comma-separated directories whose files may be offered as `file` artifacts (never the certs or data directory)',
    '(none: `file` sources are refused)',
  ),
  httpConnectTimeoutMs: setting(
    'FEP_HTTP_SOURCE_CONNECT_TIMEOUT_MS',
    int(100, 3_600_000),
    10_000,
    '`http` artifact sources: time to connect and receive the response headers',
  ),
  httpIdleTimeoutMs: setting(
    'FEP_HTTP_SOURCE_IDLE_TIMEOUT_MS',
    int(100, 3_600_000),
    30_000,
    '`http` artifact sources: longest pause between two pieces of the body (a long transfer that keeps flowing is never cut)',
  ),
});
export type CatalogSettings = SettingsOf<typeof catalogSettings>;
