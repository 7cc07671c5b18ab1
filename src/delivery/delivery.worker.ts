import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { underAdvisoryLock } from '../database/advisory.lock.js';
import { Clock } from '../common/clock.js';
import { inTransaction, write } from '../database/transaction.runner.js';
import { runtimeSettings, type RuntimeSettings } from '../runtime/runtime.settings.js';
import { Scheduler, type Job } from '../runtime/scheduler.service.js';
import type { DeliveryChannel, DeliveryOutcome } from './delivery.channel.js';
import { DeliveryOutbox } from './delivery.outbox.js';
import { deliverySettings, type DeliverySettings } from './delivery.settings.js';
import { DeliveryEntity } from './entities/delivery.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';
import { IdsChannel } from './ids.channel.js';
import { NgsiLdChannel } from './ngsi-ld/ngsi-ld.channel.js';
import { SubscriptionService } from './subscription.service.js';
import { WebhookChannel } from './webhook.channel.js';

/** Advisory-lock key of the delivery worker on a shared PostgreSQL store. */
const DELIVERY_LOCK = 0x0fe9_0d11;
/** Deliveries looked at per pass (the rest come in the next one, right after). */
const BATCH = 500;

/**
 * Delivers the outbox: per subscription strictly in order (its oldest pending delivery first; while that one fails,
 * the rest wait), subscriptions side by side. A failure backs off exponentially (FEP_SERVICE_POLL_MS doubling to
 * FEP_DELIVERY_RETRY_MAX_MS) under the same delivery id; a subscriber that has failed everything for
 * FEP_DELIVERY_SUSPEND_AFTER_S is suspended with the reason, its deliveries kept for when the admin resumes it. The
 * rows are the state: pending deliveries survive restarts and kill -9.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger('Delivery');
  private job: Job | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly scheduler: Scheduler,
    private readonly outbox: DeliveryOutbox,
    private readonly subscriptions: SubscriptionService,
    private readonly ids: IdsChannel,
    private readonly webhook: WebhookChannel,
    private readonly ngsiLd: NgsiLdChannel,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(runtimeSettings.token) private readonly runtime: RuntimeSettings,
    @Inject(deliverySettings.token) private readonly settings: DeliverySettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriptions.ensureNgsiLd(this.settings.ngsiLdUrl);
    this.job = this.scheduler.schedule({ name: 'Delivery', everyMs: this.runtime.pollMs, run: () => this.pass() });
    this.outbox.onCommit(() => void this.job?.kick());
  }

  /** A pass now (or right after the current one). */
  kick(): Promise<void> {
    return this.job?.kick() ?? Promise.resolve();
  }

  private channel(subscription: SubscriptionEntity): DeliveryChannel {
    if (subscription.side === 'consumer' || subscription.channel === 'webhook') return this.webhook;
    return subscription.channel === 'ngsi-ld' ? this.ngsiLd : this.ids;
  }

  private async pass(): Promise<void> {
    await underAdvisoryLock(this.dataSource, DELIVERY_LOCK, () => this.deliverDue());
  }

  private async deliverDue(): Promise<void> {
    // Read in the write queue on SQLite: a delivery written by a transaction still open is not seen before it commits.
    const pending = await inTransaction(this.dataSource.manager, (m) =>
      m.find(DeliveryEntity, { where: { status: 'pending' }, order: { seq: 'ASC' }, take: BATCH }),
    );
    if (pending.length === 0) return;
    const chains = new Map<string, DeliveryEntity[]>();
    for (const d of pending) chains.set(d.subscriptionId, [...(chains.get(d.subscriptionId) ?? []), d]);
    const subscriptions = new Map((await this.subscriptions.byIds([...chains.keys()])).map((s) => [s.id, s]));
    await Promise.all(
      [...chains].map(async ([id, chain]) => {
        const subscription = subscriptions.get(id);
        if (subscription === undefined) {
          await write(this.dataSource.manager, (m) =>
            m.update(DeliveryEntity, { subscriptionId: id, status: 'pending' }, { status: 'dropped', lastError: 'the subscription ended' }),
          );
          return;
        }
        await this.deliverChain(subscription, chain);
      }),
    );
    if (pending.length === BATCH) void this.job?.kick();
  }

  private async deliverChain(subscription: SubscriptionEntity, chain: DeliveryEntity[]): Promise<void> {
    for (const delivery of chain) {
      if (subscription.state !== 'active') return;
      if (new Date(delivery.nextAttempt) > this.clock.now()) return; // the oldest waits for its retry: so does the rest
      const grant = (): Promise<void> =>
        write(this.dataSource.manager, (m) => m.update(DeliveryEntity, { seq: delivery.seq }, { granted: true })).then(() => undefined);
      let outcome: DeliveryOutcome;
      try {
        outcome = await this.channel(subscription).deliver(subscription, delivery, grant);
      } catch (error) {
        await this.failed(subscription, delivery, error instanceof Error ? error.message : String(error));
        return;
      }
      await this.settle(subscription, delivery, outcome);
    }
  }

  private async settle(subscription: SubscriptionEntity, delivery: DeliveryEntity, result: DeliveryOutcome): Promise<void> {
    const now = this.clock.now().toISOString();
    const status = result.outcome;
    const reason = result.outcome === 'delivered' ? null : result.reason;
    await inTransaction(this.dataSource.manager, async (m) => {
      await m.update(
        DeliveryEntity,
        { seq: delivery.seq },
        { status, lastError: reason, attempts: delivery.attempts + 1, deliveredAt: status === 'delivered' ? now : null },
      );
      const patch: Partial<SubscriptionEntity> = { failingSince: null };
      if (status === 'delivered') Object.assign(patch, { delivered: subscription.delivered + 1, lastDelivered: now });
      if (status === 'denied') Object.assign(patch, { denied: subscription.denied + 1, reason: `push denied at ${now}: ${reason}` });
      await m.update(SubscriptionEntity, { id: subscription.id }, patch);
      Object.assign(subscription, patch);
    });
    if (status === 'denied') this.logger.warn(`push ${delivery.id} to ${subscription.subscriber} denied: ${reason}`);
  }

  private async failed(subscription: SubscriptionEntity, delivery: DeliveryEntity, message: string): Promise<void> {
    const now = this.clock.now();
    const attempts = delivery.attempts + 1;
    const delay = Math.min(this.settings.retryMaxMs, this.runtime.pollMs * 2 ** Math.min(attempts - 1, 20));
    const failingSince = subscription.failingSince ?? now.toISOString();
    // The NGSI-LD broker is ours to reach, not a subscriber that left: it is retried, never suspended.
    const suspend =
      subscription.channel !== 'ngsi-ld' && now.getTime() - new Date(failingSince).getTime() >= this.settings.suspendAfterSeconds * 1000;
    await inTransaction(this.dataSource.manager, async (m) => {
      await m.update(
        DeliveryEntity,
        { seq: delivery.seq },
        { attempts, lastError: message, nextAttempt: new Date(now.getTime() + delay).toISOString() },
      );
      const patch: Partial<SubscriptionEntity> = suspend
        ? {
            failingSince,
            state: 'suspended',
            reason: `suspended at ${now.toISOString()}: no delivery succeeded since ${failingSince} (FEP_DELIVERY_SUSPEND_AFTER_S); last error: ${message}`,
          }
        : { failingSince };
      await m.update(SubscriptionEntity, { id: subscription.id }, patch);
      Object.assign(subscription, patch);
    });
    if (suspend) {
      this.logger.warn(`subscription ${subscription.id} (${subscription.location}) suspended: ${message}`);
    } else if (attempts === 1 || attempts % 10 === 0) {
      this.logger.warn(`delivery ${delivery.id} to ${subscription.location} failed, attempt ${attempts}: ${message}`);
    }
  }
}
