import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Scheduler } from '../../runtime/scheduler.service.js';
import { dataAppsSettings, type DataAppsSettings } from '../data-apps.settings.js';
import { EdgeStore } from './edge.store.js';

/** The edge store's background work on the one scheduler: batch writes every FEP_EDGE_FLUSH_MS, retention every 30 s. */
@Injectable()
export class EdgeStoreJobs implements OnModuleInit {
  constructor(
    private readonly store: EdgeStore,
    private readonly scheduler: Scheduler,
    @Inject(dataAppsSettings.token) private readonly settings: DataAppsSettings,
  ) {}

  onModuleInit(): void {
    this.scheduler.schedule({ name: 'edge-store:flush', everyMs: this.settings.edgeFlushMs, run: () => this.store.flush() });
    this.scheduler.schedule({
      name: 'edge-store:retention',
      everyMs: 30_000,
      run: async () => {
        await this.store.retain();
      },
    });
  }
}
