import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { underAdvisoryLock } from '../database/advisory.lock.js';
import { write } from '../database/transaction.runner.js';
import { Scheduler, type Job } from '../runtime/scheduler.service.js';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { clearingHouseSettings, type ClearingHouseSettings } from './clearing-house.settings.js';
import { runtimeSettings, type RuntimeSettings } from '../runtime/runtime.settings.js';
import { ref } from '../ids/infomodel/jsonld.writer.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import { IdsClient } from '../ids/outbound/ids.client.js';
import { RemoteRejectionError } from '../ids/outbound/remote-rejection.error.js';
import { readPayload } from '../ids/transport/ids-transport.codec.js';
import { ClearingHouseOutbox } from './clearing-house.outbox.js';
import { OutboxRecordEntity } from './entities/outbox-record.entity.js';

/** Advisory-lock key of the outbox worker (any constant shared by all instances). */
const OUTBOX_LOCK = 0x0fe9_0b0c;

/**
 * Delivers the outbox to the Clearing House: oldest first, and per process strictly in order (a process whose
 * oldest record is failing waits, the others go on). Success is HTTP 201 only (ids-clearing-house-service, logging-service/src/logging_api.rs); a
 * process that already exists counts as created. Failures back off exponentially, survive restarts (the rows
 * are the state) and never block anything else: transfers only ever write rows.
 */
@Injectable()
export class OutboxWorker implements OnModuleInit {
  private readonly logger = new Logger('ClearingHouse');
  private job: Job | undefined;
  private orphansReleased = false;

  constructor(
    private readonly outbox: ClearingHouseOutbox,
    private readonly client: IdsClient,
    private readonly builder: MessageBuilder,
    private readonly dataSource: DataSource,
    private readonly scheduler: Scheduler,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(clearingHouseSettings.token) private readonly clearingHouse: ClearingHouseSettings,
    @Inject(runtimeSettings.token) private readonly runtime: RuntimeSettings,
  ) {}

  onModuleInit(): void {
    if (!this.outbox.enabled) return;
    this.job = this.scheduler.schedule({ name: 'ClearingHouse', everyMs: this.runtime.pollMs, run: () => this.pass() });
    this.outbox.onCommit(() => void this.job?.kick());
  }

  /** Runs a pass now (or right after the current one). Resolves when the outbox has been looked at. */
  kick(): Promise<void> {
    return this.job?.kick() ?? Promise.resolve();
  }

  /**
   * SQLite has one instance: whatever is still held at start was held by a process that is gone. A shared
   * PostgreSQL store may have other instances serving right now, so only records held for an hour count there.
   */
  private async releaseOrphans(): Promise<void> {
    if (this.orphansReleased) return;
    const shared = this.dataSource.options.type === 'postgres';
    const released = await this.outbox.releaseOrphans(
      this.dataSource.manager,
      shared ? new Date(this.clock.now().getTime() - 3_600_000) : undefined,
    );
    if (released > 0) {
      this.logger.warn(`${released} transfer record(s) were left unfinished by a stop during the transfer; released as interrupted`);
    }
    this.orphansReleased = true;
  }

  /**
   * Instances sharing one PostgreSQL store take turns: a pass runs under a session advisory lock, so two workers
   * never deliver records of one process at once (order per process holds). SQLite has one instance.
   */
  private async pass(): Promise<void> {
    await this.releaseOrphans();
    await underAdvisoryLock(this.dataSource, OUTBOX_LOCK, () => this.deliverDue());
  }

  private async deliverDue(): Promise<void> {
    const pending = await ClearingHouseOutbox.pending(this.dataSource.manager);
    const now = this.clock.now();
    const blocked = new Set<string>();
    for (const record of pending) {
      if (blocked.has(record.pid)) continue;
      // Only the oldest pending record of a process may go; if it is not due (or still held), the process waits.
      blocked.add(record.pid);
      if (record.status === 'held' || new Date(record.nextAttempt) > now) continue;
      try {
        const receipt = await this.deliver(record);
        await write(this.dataSource.manager, (m) =>
          m.update(
            OutboxRecordEntity,
            { seq: record.seq },
            { status: 'delivered', delivered: this.clock.now().toISOString(), receipt, lastError: null, attempts: record.attempts + 1 },
          ),
        );
        blocked.delete(record.pid);
      } catch (error) {
        const attempts = record.attempts + 1;
        const delay = Math.min(this.runtime.retryMaxMs, this.runtime.pollMs * 2 ** Math.min(attempts - 1, 20));
        const message = error instanceof Error ? error.message : String(error);
        await write(this.dataSource.manager, (m) =>
          m.update(
            OutboxRecordEntity,
            { seq: record.seq },
            { attempts, lastError: message, nextAttempt: new Date(this.clock.now().getTime() + delay).toISOString() },
          ),
        );
        if (attempts === 1 || attempts % 10 === 0) {
          this.logger.warn(`record ${record.id} (${record.kind} ${record.pid}) not delivered, attempt ${attempts}: ${message}`);
        }
      }
    }
  }

  /** One delivery; resolves with the receipt, throws on anything but HTTP 201. */
  private async deliver(record: OutboxRecordEntity): Promise<string | null> {
    const base = this.clearingHouse.url!;
    const isLog = record.kind === 'log';
    const url = `${base}${isLog ? '/messages/log/' : '/process/'}${encodeURIComponent(record.pid)}`;
    // The record's id is the message @id on every attempt: the clearing house sees one message, however often it is sent.
    const header = this.builder.newMessage(isLog ? 'ids:LogMessage' : 'ids:RequestMessage', '', {
      '@id': `https://w3id.org/idsa/autogen/${isLog ? 'logMessage' : 'requestMessage'}/${record.id}`,
      'ids:recipientConnector': [ref(base)],
    });
    try {
      const response = await this.client.send({
        url,
        header,
        payload: { data: JSON.stringify(record.body), contentType: 'application/json' },
      });
      const receipt = (await readPayload(response.payload, 1 << 20))?.toString('utf8') ?? null;
      await response.done;
      if (response.status !== 201) {
        throw new ConnectorError(
          'REMOTE_ERROR',
          `${url} answered HTTP ${response.status} (${response.message.type}); only 201 means logged`,
        );
      }
      return receipt;
    } catch (error) {
      if (!isLog && error instanceof RemoteRejectionError && /already exists/i.test(error.explanation)) return null;
      throw error;
    }
  }
}
