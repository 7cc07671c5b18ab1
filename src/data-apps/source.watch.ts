import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { Scheduler } from '../runtime/scheduler.service.js';
import { DataAppSupervisor } from './data-app.supervisor.js';
import { dataAppsSettings, type DataAppsSettings } from './data-apps.settings.js';

/** A source down for less than this is a blip (a reconnect, the start): not logged as down. */
const GRACE_MS = 5000;
const WATCH_EVERY_MS = 1000;

/** A source of a running app that does not deliver now. */
export interface DownSource {
  app: string;
  source: string;
  state: string;
  since: string;
  lastError: string | null;
  downSeconds: number;
}

interface Watched {
  up: boolean;
  /** When it went down (ms), while down. */
  downSince: number | undefined;
  /** Its going down was logged (past the grace period). */
  told: boolean;
}

/**
 * Watches the sources (PLCs, cameras) of running data apps: each change is logged once, with the reason, and its
 * recovery with how long it lasted; counted in `fep_data_app_source_changes_total`; and a source down past
 * FEP_APPS_SOURCE_DOWN_S makes readiness `degraded` (operations reads `down()`). Once, a PLC host that did not resolve
 * or a camera answering 404 was only visible in `GET /api/apps/{app}`: no log line, readiness `ok`.
 */
@Injectable()
export class SourceWatch implements OnApplicationBootstrap {
  private readonly logger = new Logger('DataApps');
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly supervisor: DataAppSupervisor,
    private readonly scheduler: Scheduler,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(dataAppsSettings.token) private readonly settings: DataAppsSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.schedule({ name: 'data-apps:sources', everyMs: WATCH_EVERY_MS, run: () => Promise.resolve(this.pass()) });
  }

  /** One look at every running app's sources (the scheduler calls it every second; tests may too). */
  pass(): void {
    const now = this.clock.now().getTime();
    const seen = new Set<string>();
    for (const app of this.supervisor.list()) {
      if (app.state !== 'running') continue;
      for (const [source, health] of Object.entries(app.sources)) {
        const key = `${app.name}\n${source}`;
        seen.add(key);
        const up = health.up !== false;
        const was = this.watched.get(key) ?? { up: true, downSince: undefined, told: false };
        if (!up) {
          const downSince = was.downSince ?? now;
          const told = was.told || now - downSince >= GRACE_MS;
          if (told && !was.told) {
            this.logger.warn(`${app.name}: source ${source} is down (${health.state}): ${health.lastError ?? 'no reason given'}`);
            this.metrics.sourceChanged(app.name, 'down');
          }
          this.watched.set(key, { up: false, downSince, told });
        } else {
          if (!was.up && was.told) {
            this.logger.log(`${app.name}: source ${source} is back (${health.state}) after ${Math.round((now - was.downSince!) / 1000)} s`);
            this.metrics.sourceChanged(app.name, 'up');
          }
          this.watched.set(key, { up: true, downSince: undefined, told: false });
        }
      }
    }
    // Sources of stopped apps, or gone from a new configuration, are forgotten.
    for (const key of [...this.watched.keys()]) if (!seen.has(key)) this.watched.delete(key);
  }

  /** The sources of running apps that have been down longer than FEP_APPS_SOURCE_DOWN_S. */
  down(): DownSource[] {
    const now = this.clock.now().getTime();
    const out: DownSource[] = [];
    for (const app of this.supervisor.list()) {
      if (app.state !== 'running') continue;
      for (const [source, health] of Object.entries(app.sources)) {
        const watched = this.watched.get(`${app.name}\n${source}`);
        // Down and said so (past the grace): readiness never names a source the log has not.
        if (watched?.downSince === undefined || !watched.told) continue;
        const downMs = now - watched.downSince;
        if (downMs < this.settings.sourceDownSeconds * 1000) continue;
        out.push({ app: app.name, source, state: health.state, since: health.since, lastError: health.lastError, downSeconds: Math.round(downMs / 1000) });
      }
    }
    return out;
  }
}
