import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, LessThan, LessThanOrEqual } from 'typeorm';
import { Clock } from '../common/clock.js';
import { auditSettings, type AuditSettings } from './audit.settings.js';
import { write } from '../database/transaction.runner.js';
import { Scheduler, type Job } from '../runtime/scheduler.service.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/**
 * Keeps the audit log bounded: records older than FEP_AUDIT_RETENTION_DAYS go, and beyond FEP_AUDIT_MAX_RECORDS
 * the oldest go first. Applied at start and every FEP_AUDIT_SWEEP_MS; an edge node's disk is small and a flood of
 * malformed requests must not fill it. (The clearing house, when configured, is the long-term record.)
 */
@Injectable()
export class AuditRetention implements OnModuleInit {
  private readonly logger = new Logger('Audit');
  private job: Job | undefined;
  private removed = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: Scheduler,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(auditSettings.token) private readonly audit: AuditSettings,
  ) {}

  onModuleInit(): void {
    this.job = this.scheduler.schedule({
      name: 'AuditRetention',
      everyMs: this.audit.sweepMs,
      run: async () => {
        this.removed = await this.apply();
      },
    });
  }

  /** One pass now; resolves with the number of records it deleted. */
  async sweep(): Promise<number> {
    if (this.job === undefined) return this.apply();
    await this.job.kick();
    return this.removed;
  }

  private async apply(): Promise<number> {
    const { retentionDays, maxRecords } = this.audit;
    const cutoff = new Date(this.clock.now().getTime() - retentionDays * 86_400_000).toISOString();
    const manager = this.dataSource.manager;
    const old = await write(manager, (m) => m.delete(AuditEventEntity, { at: LessThan(cutoff) }));
    let excess = 0;
    if ((await manager.count(AuditEventEntity)) > maxRecords) {
      const [boundary] = await manager.find(AuditEventEntity, { order: { seq: 'DESC' }, skip: maxRecords, take: 1 });
      if (boundary !== undefined) {
        excess = (await write(manager, (m) => m.delete(AuditEventEntity, { seq: LessThanOrEqual(boundary.seq) }))).affected ?? 0;
      }
    }
    const removed = (old.affected ?? 0) + excess;
    if (removed > 0) {
      this.logger.log(`audit retention: removed ${removed} record(s) (older than ${retentionDays} days, or beyond ${maxRecords})`);
    }
    return removed;
  }
}
