import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { statfs } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { storageSettings, type StorageSettings } from '../database/database.settings.js';
import { deliverySettings, type DeliverySettings } from '../delivery/delivery.settings.js';
import { staleSinks } from '../delivery/sink.health.js';
import { BrokerService } from '../broker/broker.service.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import { clearingHouseSettings, type ClearingHouseSettings } from '../clearing-house/clearing-house.settings.js';
import { Clock } from '../common/clock.js';
import { within } from '../common/within.js';
import { dapsSettings, type DapsSettings } from '../daps/daps.settings.js';
import { DataAppSupervisor } from '../data-apps/data-app.supervisor.js';
import { SourceWatch } from '../data-apps/source.watch.js';
import { TokenProvider } from '../ids/seams/token.seam.js';

/** An undelivered clearing-house record older than this makes the node `degraded` (records are kept; nothing is lost). */
const OUTBOX_DEGRADED_AFTER_MS = 5 * 60_000;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * What `GET /health/ready` checks. `down` (HTTP 503) only for what stops the node from answering partners: the
 * database, and a DAT it can neither obtain nor has cached. A broker that is not reached, a clearing-house backlog
 * or a failed data app is `degraded` (HTTP 200): the node serves, the operator should look.
 */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly dataSource: DataSource,
    private readonly tokens: TokenProvider,
    private readonly registration: BrokerService,
    private readonly apps: DataAppSupervisor,
    private readonly sources: SourceWatch,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(dapsSettings.token) private readonly daps: DapsSettings,
    @Inject(clearingHouseSettings.token) private readonly clearingHouse: ClearingHouseSettings,
    @Inject(storageSettings.token) private readonly storage: StorageSettings,
    @Inject(deliverySettings.token) private readonly deliveries: DeliverySettings,
  ) {}

  async database(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('database');
    try {
      await within(this.dataSource.query('SELECT 1'), 2000, 'the database');
      return check.up({ type: this.dataSource.options.type });
    } catch (error) {
      return check.down({ type: this.dataSource.options.type, message: message(error) });
    }
  }

  /** The token provider answers from its cache while the token is valid; otherwise this asks the DAPS. */
  async dat(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('dat');
    try {
      await within(this.tokens.token(), 5000, 'the DAPS');
      return check.up({ mode: this.daps.mode });
    } catch (error) {
      return check.down({ mode: this.daps.mode, message: message(error) });
    }
  }

  broker(): HealthIndicatorResult {
    const check = this.indicator.check('broker');
    const s = this.registration.status();
    const details = { url: s.brokerUrl, desired: s.desired, registered: s.registered, lastError: s.lastError };
    if (s.brokerUrl === null || s.desired === 'unregistered' || s.registered) return check.up(details);
    return check.degraded(details);
  }

  async clearingHouseOutbox(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('clearingHouse');
    if (this.clearingHouse.url === undefined) return check.up({ enabled: false });
    const stats = await ClearingHouseOutbox.stats(this.dataSource.manager);
    const ageSeconds = stats.oldest === null ? 0 : Math.max(0, Math.round((this.clock.now().getTime() - Date.parse(stats.oldest)) / 1000));
    const details = { enabled: true, depth: stats.depth, oldestAgeSeconds: ageSeconds, lastError: stats.lastError };
    return ageSeconds * 1000 > OUTBOX_DEGRADED_AFTER_MS ? check.degraded(details) : check.up(details);
  }

  dataApps(): HealthIndicatorResult {
    const check = this.indicator.check('dataApps');
    const apps = Object.fromEntries(this.apps.list().map((a) => [a.name, { state: a.state, desired: a.desired, lastError: a.lastError }]));
    const failed = Object.values(apps).some((a) => a.state === 'failed');
    const edgeStore = this.apps.edgeStore();
    const sourcesDown = this.sources.down();
    const details = { ...apps, edgeStore, sourcesDown };
    return failed || edgeStore.state === 'failing' || sourcesDown.length > 0 ? check.degraded(details) : check.up(details);
  }

  /** The operator's sinks (NGSI-LD broker, webhooks): `degraded` while one has let a delivery wait too long. */
  async delivery(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('delivery');
    const stale = await staleSinks(this.dataSource.manager, this.clock.now(), this.deliveries.degradedAfterSeconds * 1000);
    return stale.length === 0
      ? check.up({ stale: [] })
      : check.degraded({
          stale,
          message: `${stale.length} sink(s) have not taken their deliveries for over ${this.deliveries.degradedAfterSeconds} s`,
        });
  }

  /** The data directory's file system: `degraded` below FEP_DISK_MIN_FREE_MB free (writes are about to fail). */
  async disk(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('disk');
    try {
      const fs = await statfs(this.storage.dataDir);
      const freeMb = Math.floor((fs.bavail * fs.bsize) / 2 ** 20);
      const details = { path: this.storage.dataDir, freeMb, minFreeMb: this.storage.minFreeMb };
      return freeMb < this.storage.minFreeMb
        ? check.degraded({ ...details, message: `the data directory's disk has ${freeMb} MiB free` })
        : check.up(details);
    } catch (error) {
      return check.degraded({ path: this.storage.dataDir, message: message(error) });
    }
  }
}
