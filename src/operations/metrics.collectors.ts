import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { BrokerService } from '../broker/broker.service.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { DataAppSupervisor } from '../data-apps/data-app.supervisor.js';

/**
 * The gauges read when `/metrics` is scraped (states, not events): the clearing-house outbox, the broker
 * registration, each data app's state and counters, and Node's process metrics (event-loop delay, heap, RSS, GC).
 */
@Injectable()
export class MetricsCollectors implements OnModuleInit {
  constructor(
    @Inject(Metrics) private readonly metrics: Metrics,
    private readonly dataSource: DataSource,
    private readonly broker: BrokerService,
    private readonly apps: DataAppSupervisor,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const registers = [this.metrics.registry];
    collectDefaultMetrics({ register: this.metrics.registry, eventLoopMonitoringPrecision: 10 });
    const outbox = async (): Promise<{ depth: number; ageSeconds: number }> => {
      const stats = await ClearingHouseOutbox.stats(this.dataSource.manager);
      const age = stats.oldest === null ? 0 : (this.clock.now().getTime() - Date.parse(stats.oldest)) / 1000;
      return { depth: stats.depth, ageSeconds: Math.max(0, age) };
    };
    new Gauge({
      name: 'fep_clearing_house_outbox_depth',
      help: 'clearing-house records not yet delivered',
      registers,
      async collect() {
        this.set((await outbox()).depth);
      },
    });
    new Gauge({
      name: 'fep_clearing_house_outbox_oldest_age_seconds',
      help: 'age of the oldest undelivered clearing-house record (0 when none)',
      registers,
      async collect() {
        this.set((await outbox()).ageSeconds);
      },
    });
    const broker = this.broker;
    new Gauge({
      name: 'fep_broker_registered',
      help: '1 when the connector is registered at its Metadata Broker, 0 otherwise (also 0 without a broker)',
      registers,
      collect() {
        this.set(broker.status().registered ? 1 : 0);
      },
    });
    const apps = this.apps;
    new Gauge({
      name: 'fep_data_app_state',
      help: 'each data app’s lifecycle state (1 for the state it is in)',
      labelNames: ['app', 'state'] as const,
      registers,
      collect() {
        this.reset();
        for (const app of apps.list()) {
          for (const state of ['stopped', 'starting', 'running', 'failed'] as const) {
            this.set({ app: app.name, state }, app.state === state ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'fep_data_app_restarts',
      help: 'restarts of each data app since the connector started',
      labelNames: ['app'] as const,
      registers,
      collect() {
        this.reset();
        for (const app of apps.list()) this.set({ app: app.name }, app.restarts);
      },
    });
    new Gauge({
      name: 'fep_data_app_outputs_emitted',
      help: 'values each data app output has emitted since the app started',
      labelNames: ['app', 'output'] as const,
      registers,
      collect() {
        this.reset();
        for (const app of apps.list()) for (const o of app.outputs) this.set({ app: app.name, output: o.name }, o.emitted);
      },
    });
    new Gauge({
      name: 'fep_edge_store_failing',
      help: '1 while raw windows cannot be written to the edge store (disk full, I/O error), 0 otherwise',
      registers,
      collect() {
        this.set(apps.edgeStore().state === 'failing' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'fep_edge_store_queued_windows',
      help: 'raw windows waiting to be written to the edge store',
      registers,
      collect() {
        this.set(apps.edgeStore().queued);
      },
    });
    new Gauge({
      name: 'fep_edge_store_dropped_windows',
      help: 'raw windows dropped unwritten since start (the queue was full while writes failed)',
      registers,
      collect() {
        this.set(apps.edgeStore().dropped);
      },
    });
    new Gauge({
      name: 'fep_data_app_counter',
      help: 'the counters each data app reports for its current run (samples, frames, windows, events, errors, rates), by name',
      labelNames: ['app', 'counter'] as const,
      registers,
      collect() {
        this.reset();
        for (const app of apps.list()) {
          for (const [counter, value] of Object.entries(app.counters)) this.set({ app: app.name, counter }, value);
        }
      },
    });
  }
}
