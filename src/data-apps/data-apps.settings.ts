import { int, list, oneOf, pathList, text } from '../config/setting.parsers.js';
import { defineArea, optional, setting, type SettingsOf } from '../config/setting.js';

/** The data-app platform: lifecycle, outputs, worker threads and the edge store of raw windows. */
export const dataAppsSettings = defineArea(
  'dataApps',
  {
    autostart: setting(
      'FEP_APPS_AUTOSTART',
      list,
      [],
      'data apps started with their default configuration on a fresh database (FEP_DEMO starts the demo apps on simulated sensors anyway)',
      '(none)',
    ),
    restartMinMs: setting('FEP_APPS_RESTART_MIN_MS', int(10, 3_600_000), 1000, 'first restart delay of a failed data app (it doubles)'),
    restartMaxMs: setting('FEP_APPS_RESTART_MAX_MS', int(10, 86_400_000), 60_000, 'longest restart delay of a failed data app'),
    stopTimeoutMs: setting('FEP_APPS_STOP_TIMEOUT_MS', int(10, 600_000), 5000, 'how long a data app may take to stop before it is left behind'),
    outputHistory: setting('FEP_APPS_OUTPUT_HISTORY', int(1, 10_000_000), 10_000, 'values kept per data-app output (the newest of each asset or zone always)'),
    responseHistory: setting(
      'FEP_APPS_RESPONSE_HISTORY',
      int(1, 10_000),
      100,
      'values of recent history an artifact request for a data-app output returns',
    ),
    defaultPattern: setting(
      'FEP_APPS_DEFAULT_PATTERN',
      oneOf('USAGE_LOGGING', 'PROVIDE_ACCESS'),
      'USAGE_LOGGING',
      "usage-policy pattern (a `policies/` template) of a data-app output's default offer; the admin may replace the offer",
    ),
    secretDirs: setting(
      'FEP_APPS_SECRET_DIRS',
      pathList,
      [],
      'directories data apps may read secret files from (a camera’s `auth.passwordFile`); never the certs or data directory, whatever is listed',
      '(none: password files are refused)',
    ),
    sourceDownSeconds: setting(
      'FEP_APPS_SOURCE_DOWN_S',
      int(1, 86_400),
      60,
      'readiness is `degraded` while a source (a PLC, a camera) of a running data app has been down this long',
    ),
    workerThreads: setting('FEP_APPS_WORKER_THREADS', int(1, 64), 1, 'worker threads per data app for CPU-heavy work (analysis, inference)'),
    edgeMaxBytes: setting(
      'FEP_EDGE_MAX_BYTES',
      int(1 << 20, Number.MAX_SAFE_INTEGER),
      1 << 30,
      'edge store: raw sample bytes kept at most (the oldest segments go first)',
    ),
    edgeRawHours: setting('FEP_EDGE_RAW_HOURS', int(1, 87_600), 72, 'edge store: hours raw samples are kept'),
    edgeIndicatorDays: setting('FEP_EDGE_INDICATOR_DAYS', int(1, 36_500), 30, 'edge store: days indicator rows are kept'),
    edgeFlushMs: setting('FEP_EDGE_FLUSH_MS', int(10, 60_000), 1000, 'edge store: how often a batch of windows is written (a kill -9 loses at most one)'),
    edgeSegmentBytes: setting('FEP_EDGE_SEGMENT_BYTES', int(1 << 16, 1 << 30), 16 << 20, 'edge store: size at which a segment file is closed (retention removes whole segments)'),
    demoPlcPort: setting('FEP_DEMO_PLC_PORT', int(0, 65_535), 1502, 'FEP_DEMO: TCP port of the simulated pump PLC (Modbus TCP on 127.0.0.1); 0: one the kernel picks, for a single run (a restarted node keeps the stored configuration with the old port)'),
    demoPlcHost: optional(
      'FEP_DEMO_PLC_HOST',
      text,
      'FEP_DEMO: the simulated PLC runs elsewhere, at this host and FEP_DEMO_PLC_PORT (`npm run plc-sim`, the compose file’s `plc-sim`), instead of in the connector',
      'unset: started in the connector on 127.0.0.1',
    ),
    demoCameraHost: optional(
      'FEP_DEMO_CAMERA_HOST',
      text,
      'FEP_DEMO: the fake camera runs elsewhere, at this host and FEP_DEMO_CAMERA_PORT (`npm run camera-sim`, the compose file’s `camera`)',
      'unset: started in the connector on 127.0.0.1',
    ),
    demoCycleMinutes: setting(
      'FEP_DEMO_CYCLE_MINUTES',
      int(2, 100_000),
      30,
      'FEP_DEMO: minutes of one run-to-failure of the simulated pump (healthy, degrading through zones B, C and D, repaired): long enough for its predictions to lead the crossings',
    ),
    demoCameraPort: setting('FEP_DEMO_CAMERA_PORT', int(0, 65_535), 18_554, 'FEP_DEMO: TCP port of the fake IP camera (HTTP snapshots and MJPEG on 127.0.0.1); 0: one the kernel picks, for a single run (as FEP_DEMO_PLC_PORT)'),
  },
  (v) => [
    ...(v.restartMaxMs < v.restartMinMs ? ['FEP_APPS_RESTART_MAX_MS must not be below FEP_APPS_RESTART_MIN_MS'] : []),
    // Retention removes whole segments: the budget must hold the open one and at least one closed one.
    ...(v.edgeMaxBytes < 2 * v.edgeSegmentBytes ? ['FEP_EDGE_MAX_BYTES must be at least twice FEP_EDGE_SEGMENT_BYTES'] : []),
  ],
);
export type DataAppsSettings = SettingsOf<typeof dataAppsSettings>;
