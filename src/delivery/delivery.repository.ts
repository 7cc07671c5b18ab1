import { Injectable } from '@nestjs/common';
import { DataSource, In, LessThanOrEqual, type EntityManager } from 'typeorm';
import { inTransaction, write } from '../database/transaction.runner.js';
import { DeliveryEntity } from './entities/delivery.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';

/** The oldest pending delivery of a subscription. */
export interface Head {
  subscriptionId: string;
  seq: number;
  nextAttempt: string;
}

/**
 * The delivery outbox's rows, as the worker reads and settles them. Reads that must see only committed rows run in
 * the write queue (on SQLite a delivery written by a transaction still open is not seen before it commits).
 */
@Injectable()
export class DeliveryRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * The head of every subscription with pending deliveries whose head is due, longest waiting first, leaving out
   * those being served. One row per subscription: however many deliveries one subscriber has waiting, the others'
   * heads are read too (the worker once read the 500 oldest deliveries of all, and a subscriber holding 500 hid
   * every other one).
   */
  async dueHeads(now: Date, busy: ReadonlySet<string>): Promise<Head[]> {
    return inTransaction(this.manager, async (m) => {
      const heads = await m
        .createQueryBuilder(DeliveryEntity, 'd')
        .select('d.subscription_id', 'subscriptionId')
        .addSelect('MIN(d.seq)', 'seq')
        .where('d.status = :status', { status: 'pending' })
        .groupBy('d.subscription_id')
        .getRawMany<{ subscriptionId: string; seq: number | string }>();
      const wanted = heads.filter((h) => !busy.has(h.subscriptionId)).map((h) => Number(h.seq));
      if (wanted.length === 0) return [];
      const rows: DeliveryEntity[] = [];
      for (let i = 0; i < wanted.length; i += 500) {
        rows.push(
          ...(await m.find(DeliveryEntity, {
            select: { seq: true, subscriptionId: true, nextAttempt: true },
            where: { seq: In(wanted.slice(i, i + 500)), nextAttempt: LessThanOrEqual(now.toISOString()) },
          })),
        );
      }
      return rows
        .map((r) => ({ subscriptionId: r.subscriptionId, seq: r.seq, nextAttempt: r.nextAttempt }))
        .sort((a, b) => a.nextAttempt.localeCompare(b.nextAttempt) || a.seq - b.seq);
    });
  }

  /** A subscription's oldest pending deliveries, in order. */
  pendingOf(subscriptionId: string, limit: number): Promise<DeliveryEntity[]> {
    return inTransaction(this.manager, (m) =>
      m.find(DeliveryEntity, { where: { subscriptionId, status: 'pending' }, order: { seq: 'ASC' }, take: limit }),
    );
  }

  /** A push's use was granted (and counted): a retry sends it again without deciding again. */
  async grant(seq: number): Promise<void> {
    await write(this.manager, (m) => m.update(DeliveryEntity, { seq }, { granted: true }));
  }

  /**
   * An attempt's result: the delivery's row (when there is one to change) and its subscription's, in one transaction
   * (an end with the counters, a retry with since when it fails, a suspension).
   */
  async record(
    seq: number | null,
    delivery: Partial<DeliveryEntity>,
    subscriptionId: string,
    subscription: Partial<SubscriptionEntity>,
  ): Promise<void> {
    await inTransaction(this.manager, async (m) => {
      if (seq !== null) await m.update(DeliveryEntity, { seq }, delivery);
      await m.update(SubscriptionEntity, { id: subscriptionId }, subscription);
    });
  }

  async dropAll(subscriptionId: string, reason: string): Promise<void> {
    await write(this.manager, (m) =>
      m.update(DeliveryEntity, { subscriptionId, status: 'pending' }, { status: 'dropped', lastError: reason }),
    );
  }

  /**
   * Finished deliveries (delivered, denied, dropped, dead letters) older than `maxAgeMs`, and beyond the newest `keep` of each
   * subscription, are removed. The number removed.
   */
  async retain(now: Date, maxAgeMs: number, keep: number): Promise<number> {
    const finished = ['delivered', 'denied', 'dropped', 'dead'];
    const cut = new Date(now.getTime() - maxAgeMs).toISOString();
    let removed =
      (await write(this.manager, (m) => m.delete(DeliveryEntity, { status: In(finished), created: LessThanOrEqual(cut) }))).affected ?? 0;
    const crowded = await this.manager
      .createQueryBuilder(DeliveryEntity, 'd')
      .select('d.subscription_id', 'subscriptionId')
      .where('d.status IN (:...finished)', { finished })
      .groupBy('d.subscription_id')
      .having('COUNT(*) > :keep', { keep })
      .getRawMany<{ subscriptionId: string }>();
    for (const { subscriptionId } of crowded) {
      const [oldestKept] = await this.manager.find(DeliveryEntity, {
        select: { seq: true },
        where: { subscriptionId, status: In(finished) },
        order: { seq: 'DESC' },
        skip: keep - 1,
        take: 1,
      });
      if (oldestKept === undefined) continue;
      const result = await write(this.manager, (m) =>
        m
          .createQueryBuilder()
          .delete()
          .from(DeliveryEntity)
          .where('subscription_id = :subscriptionId AND seq < :seq AND status IN (:...finished)', {
            subscriptionId,
            seq: oldestKept.seq,
            finished,
          })
          .execute(),
      );
      removed += result.affected ?? 0;
    }
    return removed;
  }
}
