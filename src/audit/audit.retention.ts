import { Inject, Injectable, Logger, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { DataSource, LessThan, LessThanOrEqual } from 'typeorm';
import { Clock } from '../common/clock.js';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { write } from '../database/transaction.runner.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/**
 * Keeps the audit log bounded: records older than FEP_AUDIT_RETENTION_DAYS go, and beyond FEP_AUDIT_MAX_RECORDS
 * the oldest go first. Applied at start and every FEP_AUDIT_SWEEP_MS; an edge node's disk is small and a flood of
 * malformed requests must not fill it. (The clearing house, when configured, is the long-term record.)
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.audit.sweepMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass; passes never overlap. Resolves with the number of records deleted. */
  sweep(): Promise<number> {
    const pass = this.running.then(() => this.apply()).catch((error: unknown) => {
      this.logger.error(`audit retention failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    });
    this.running = pass;
    return pass;
  }

  private async apply(): Promise<number> {
    const { retentionDays, maxRecords } = this.config.audit;
    const cutoff = new Date(this.clock.now().getTime() - retentionDays * 86_400_000).toISOString();
    const manager = this.dataSource.manager;
    const old = await write(manager, (m) => m.delete(AuditEventEntity, { at: LessThan(cutoff) }));
    let excess = 0;
    const newest = await manager.findOne(AuditEventEntity, { where: {}, order: { seq: 'DESC' } });
    const count = await manager.count(AuditEventEntity);
    if (newest !== null && count > maxRecords) {
      const [boundary] = await manager.find(AuditEventEntity, { order: { seq: 'DESC' }, skip: maxRecords, take: 1 });
      if (boundary !== undefined) excess = (await write(manager, (m) => m.delete(AuditEventEntity, { seq: LessThanOrEqual(boundary.seq) }))).affected ?? 0;
    }
    const removed = (old.affected ?? 0) + excess;
    if (removed > 0) this.logger.log(`audit retention: removed ${removed} record(s) (older than ${retentionDays} days, or beyond ${maxRecords})`);
    return removed;
  }
}
