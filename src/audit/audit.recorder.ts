import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GroupWriter } from '../database/group.writer.js';
import { Clock } from '../common/clock.js';
import { asText, reference } from '../ids/infomodel/jsonld.reader.js';
import { TransactionRecorder, type TransactionRecord } from '../ids/seams/transaction-recorder.seam.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/**
 * The local audit log: one row per IDS exchange, group-committed (concurrent exchanges' rows share a transaction).
 * Best effort: a failed audit write is logged, never fatal.
 */
@Injectable()
export class AuditRecorder extends TransactionRecorder {
  private readonly logger = new Logger('Audit');
  private readonly rows: GroupWriter<Partial<AuditEventEntity>>;

  constructor(
    dataSource: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    super();
    this.rows = new GroupWriter(dataSource, async (m, rows) => {
      await m.insert(AuditEventEntity, rows);
    });
  }

  async record(entry: TransactionRecord): Promise<void> {
    const header = entry.request;
    const messageId = header['@id'];
    const contract = reference(header['ids:transferContract'] ?? header['transferContract']);
    await this.rows
      .add({
        at: this.clock.now().toISOString(),
        direction: entry.direction,
        messageType: asText(header['@type'] ?? 'unknown').slice(0, 128),
        messageId: typeof messageId === 'string' ? messageId.slice(0, 512) : null,
        peer: entry.peer?.slice(0, 1024) ?? null,
        replyType: entry.replyType ?? null,
        outcome: entry.outcome ?? null,
        transport: entry.transport,
        transferContract: contract?.slice(0, 512) ?? null,
      })
      .catch((error: unknown) => this.logger.error(`audit record not written: ${error instanceof Error ? error.message : String(error)}`));
  }
}
