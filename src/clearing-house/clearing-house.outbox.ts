import { Inject, Injectable } from '@nestjs/common';
import { In, IsNull, LessThan, Not, type EntityManager } from 'typeorm';
import { inTransaction } from '../database/transaction.runner.js';
import { Clock } from '../common/clock.js';
import { clearingHouseSettings, type ClearingHouseSettings } from './clearing-house.settings.js';
import type { ConnectorIdentity } from '../identity/connector-identity.js';
import { dapsClientId } from '../identity/connector-identity.js';
import { dapsSettings, type DapsSettings } from '../daps/daps.settings.js';
import { CONNECTOR_IDENTITY } from '../ids/seams/identity.seam.js';
import type { NewRecord } from './clearing-house.records.js';
import { OutboxRecordEntity } from './entities/outbox-record.entity.js';

/** Hook the worker registers to be woken when records are committed. */
export type Wakeup = () => void;

/**
 * The writing side of the clearing-house outbox: business code hands its transaction's EntityManager, so the
 * record commits or rolls back with the action it records. Without FEP_CLEARING_HOUSE_URL nothing is written
 * (the usage log keeps the local record).
 */
@Injectable()
export class ClearingHouseOutbox {
  private wakeup: Wakeup = () => undefined;

  /** Our DAT subject (the DAPS client id): an owner of every process we create. */
  readonly ownSubject: string;

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(clearingHouseSettings.token) private readonly clearingHouse: ClearingHouseSettings,
    @Inject(dapsSettings.token) daps: DapsSettings,
    @Inject(CONNECTOR_IDENTITY) identity: ConnectorIdentity,
  ) {
    this.ownSubject = daps.clientId ?? dapsClientId(identity.certPem);
  }

  get enabled(): boolean {
    return this.clearingHouse.url !== undefined;
  }

  onCommit(wakeup: Wakeup): void {
    this.wakeup = wakeup;
  }

  /**
   * Writes the records in the caller's transaction; call `committed()` after it commits. `hold`: the record keeps
   * its place in its process but waits for `release` (a transfer's record waits for the hash of what was served).
   */
  async write(manager: EntityManager, records: NewRecord[], options: { hold?: boolean } = {}): Promise<void> {
    if (!this.enabled || records.length === 0) return;
    const now = this.clock.now().toISOString();
    const status = options.hold ? 'held' : 'pending';
    // One by one, so `seq` follows the order given; in the caller's transaction, or in one of its own (queued on
    // SQLite) when the caller has none, so the records land together and never inside another request's.
    await inTransaction(manager, async (tx) => {
      for (const record of records) {
        await tx.save(OutboxRecordEntity, {
          ...record,
          status,
          attempts: 0,
          nextAttempt: now,
          lastError: null,
          receipt: null,
          created: now,
          delivered: null,
        });
      }
    });
  }

  /** A held record gets what it waited for (merged into its body) and becomes deliverable. */
  async release(manager: EntityManager, id: string, patch: Record<string, unknown>): Promise<void> {
    if (!this.enabled) return;
    await inTransaction(manager, async (tx) => {
      const record = await tx.findOneBy(OutboxRecordEntity, { id, status: 'held' });
      if (record !== null) await tx.save(OutboxRecordEntity, { ...record, body: { ...record.body, ...patch }, status: 'pending' });
    });
    this.wakeup();
  }

  /**
   * Records still held from before (the process stopped mid-transfer: kill -9, power loss) are released saying
   * so; on a shared PostgreSQL store only those older than `olderThan`, as another instance may still be serving.
   */
  async releaseOrphans(manager: EntityManager, olderThan?: Date): Promise<number> {
    if (!this.enabled) return 0;
    const held = await manager.find(OutboxRecordEntity, {
      where: { status: 'held', ...(olderThan ? { created: LessThan(olderThan.toISOString()) } : {}) },
      order: { seq: 'ASC' },
    });
    for (const record of held) {
      await this.release(manager, record.id, {
        transfer: 'interrupted: the connector stopped before the transfer ended; the bytes served are unknown',
      });
    }
    return held.length;
  }

  /** Takes back a record whose action was undone, unless it is already delivered (then it stays as history). */
  async withdraw(manager: EntityManager, id: string): Promise<void> {
    if (this.enabled) await manager.delete(OutboxRecordEntity, { id, status: In(['pending', 'held']) });
  }

  committed(): void {
    if (this.enabled) this.wakeup();
  }

  static pending(manager: EntityManager): Promise<OutboxRecordEntity[]> {
    // Held records come too: they hold back the later records of their process (order per process).
    return manager.find(OutboxRecordEntity, { where: { status: In(['pending', 'held']) }, order: { seq: 'ASC' }, take: 500 });
  }

  static async stats(
    manager: EntityManager,
  ): Promise<{ depth: number; oldest: string | null; lastError: string | null; delivered: number; lastDelivered: string | null }> {
    const depth = await manager.count(OutboxRecordEntity, { where: { status: In(['pending', 'held']) } });
    const oldest = await manager.findOne(OutboxRecordEntity, { where: { status: In(['pending', 'held']) }, order: { seq: 'ASC' } });
    const failing = await manager.findOne(OutboxRecordEntity, {
      where: { status: 'pending', lastError: Not(IsNull()) },
      order: { seq: 'ASC' },
    });
    const delivered = await manager.count(OutboxRecordEntity, { where: { status: 'delivered' } });
    const last = await manager.findOne(OutboxRecordEntity, { where: { status: 'delivered' }, order: { delivered: 'DESC' } });
    return {
      depth,
      oldest: oldest?.created ?? null,
      lastError: failing?.lastError ?? null,
      delivered,
      lastDelivered: last?.delivered ?? null,
    };
  }
}
