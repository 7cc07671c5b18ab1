import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AdvisoryLease } from '../database/advisory.lock.js';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { runtimeSettings, type RuntimeSettings } from '../runtime/runtime.settings.js';
import { Scheduler, type Job } from '../runtime/scheduler.service.js';
import type { DeliveryChannel, DeliveryOutcome } from './delivery.channel.js';
import { DeliveryOutbox } from './delivery.outbox.js';
import { DeliveryRepository } from './delivery.repository.js';
import { deliverySettings, type DeliverySettings } from './delivery.settings.js';
import type { DeliveryEntity } from './entities/delivery.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';
import { IdsChannel } from './ids.channel.js';
import { NgsiLdChannel } from './ngsi-ld/ngsi-ld.channel.js';
import { SubscriptionService } from './subscription.service.js';
import { WebhookChannel } from './webhook.channel.js';

/** Advisory-lock key of the delivery worker on a shared PostgreSQL store. */
const DELIVERY_LOCK = 0x0fe9_0d11;
/** Deliveries one subscription sends in a turn before it queues again behind the others. */
const TURN = 50;
/** How often finished deliveries past retention are removed. */
const RETENTION_EVERY_MS = 10 * 60_000;
/** At shutdown, how long deliveries under way may take to finish (a slow subscriber is then cut off, and retried). */
const SHUTDOWN_GRACE_MS = 2000;
/**
 * An attempt that has waited this long for its answer stops taking one of the FEP_DELIVERY_CONCURRENCY places: it
 * is only holding a socket and a timer, and a subscriber that does not answer must not hold up those that do.
 */
const SLOW_MS = 1000;
/** Turns under way at most, slow ones included, per place (bounds the sockets a crowd of silent subscribers holds). */
const TURNS_PER_PLACE = 8;

interface Turn {
  failing: boolean;
  /** When the attempt under way started (performance.now()). */
  since: number;
  done: Promise<void>;
}

/**
 * Delivers the outbox: per subscription strictly in order (its oldest pending delivery first; while that one waits
 * for its retry, the rest wait too), subscriptions side by side and independent of each other. A pass only starts
 * turns: the subscriptions whose oldest delivery is due, longest waiting first, up to FEP_DELIVERY_CONCURRENCY busy at
 * once, of which those already failing take at most half; an attempt that has waited SLOW_MS for its answer no longer
 * takes a place (up to TURNS_PER_PLACE turns per place in all), so subscribers that do not answer (each attempt
 * waits for its timeout) never hold up those that do. A turn sends up to TURN deliveries and ends at the first failure; the next
 * pass comes when a turn ends, a change commits, or FEP_SERVICE_POLL_MS passes (nothing due: the pass reads the due
 * heads and returns). A failure backs off exponentially (FEP_SERVICE_POLL_MS doubling to FEP_DELIVERY_RETRY_MAX_MS)
 * under the same delivery id; a subscriber that has failed everything for FEP_DELIVERY_SUSPEND_AFTER_S is suspended
 * with the reason, its deliveries kept for when the admin resumes it. The rows are the state: pending deliveries
 * survive restarts and kill -9. On a shared PostgreSQL store one instance delivers (an advisory lease).
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Delivery');
  private readonly lease: AdvisoryLease;
  private readonly turns = new Map<string, Turn>();
  private job: Job | undefined;
  private stopping = false;

  constructor(
    dataSource: DataSource,
    private readonly scheduler: Scheduler,
    private readonly outbox: DeliveryOutbox,
    private readonly queue: DeliveryRepository,
    private readonly subscriptions: SubscriptionService,
    private readonly ids: IdsChannel,
    private readonly webhook: WebhookChannel,
    private readonly ngsiLd: NgsiLdChannel,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(runtimeSettings.token) private readonly runtime: RuntimeSettings,
    @Inject(deliverySettings.token) private readonly settings: DeliverySettings,
  ) {
    this.lease = new AdvisoryLease(dataSource, DELIVERY_LOCK);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.subscriptions.ensureNgsiLd(this.settings.ngsiLdUrl);
    this.job = this.scheduler.schedule({ name: 'Delivery', everyMs: this.runtime.pollMs, run: () => this.pass() });
    this.scheduler.schedule({ name: 'DeliveryRetention', everyMs: RETENTION_EVERY_MS, run: () => this.retain() });
    this.outbox.onCommit(() => void this.job?.kick());
  }

  /** Deliveries under way finish (or are cut off after a grace period, to be retried after the restart). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const running = [...this.turns.values()].map((t) => t.done);
    if (running.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(running), new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)))]);
    clearTimeout(timer);
    await this.lease.release();
  }

  /** A pass now (or right after the current one): starts the turns that are due; resolves once they are started. */
  kick(): Promise<void> {
    return this.job?.kick() ?? Promise.resolve();
  }

  /** Subscriptions being served now (for status and tests). */
  get serving(): number {
    return this.turns.size;
  }

  private channel(subscription: SubscriptionEntity): DeliveryChannel {
    if (subscription.side === 'consumer' || subscription.channel === 'webhook') return this.webhook;
    return subscription.channel === 'ngsi-ld' ? this.ngsiLd : this.ids;
  }

  private async pass(): Promise<void> {
    if (this.stopping || !(await this.lease.held())) return;
    const now = performance.now();
    const busy = [...this.turns.values()].filter((t) => now - t.since < SLOW_MS).length;
    const free = Math.min(this.settings.concurrency - busy, this.settings.concurrency * TURNS_PER_PLACE - this.turns.size);
    if (free <= 0) return;
    const heads = await this.queue.dueHeads(this.clock.now(), new Set(this.turns.keys()));
    if (heads.length === 0) return;
    const subscriptions = new Map((await this.subscriptions.byIds(heads.map((h) => h.subscriptionId))).map((s) => [s.id, s]));
    const failingSlots = Math.floor(this.settings.concurrency / 2);
    let failing = [...this.turns.values()].filter((t) => t.failing && now - t.since < SLOW_MS).length;
    let started = 0;
    for (const head of heads) {
      if (started >= free) break;
      const subscription = subscriptions.get(head.subscriptionId);
      if (subscription === undefined) {
        await this.queue.dropAll(head.subscriptionId, 'the subscription ended');
        continue;
      }
      if (subscription.state !== 'active') continue;
      const isFailing = subscription.failingSince !== null;
      if (isFailing && failing >= failingSlots) continue;
      if (isFailing) failing++;
      started++;
      this.start(subscription, isFailing);
    }
  }

  private start(subscription: SubscriptionEntity, failing: boolean): void {
    const turn: Turn = { failing, since: performance.now(), done: Promise.resolve() };
    turn.done = this.turn(subscription, turn)
      .catch((error: unknown) =>
        this.logger.error(`delivery to ${subscription.location} stopped: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        this.turns.delete(subscription.id);
        // The slot is free: what is due next (this subscription's rest, or another's) goes now.
        if (!this.stopping) void this.job?.kick();
      });
    this.turns.set(subscription.id, turn);
  }

  /** One turn of one subscription: its oldest pending deliveries in order, up to the first that fails or waits. */
  private async turn(subscription: SubscriptionEntity, turn: Turn): Promise<void> {
    const chain = await this.queue.pendingOf(subscription.id, TURN);
    for (const delivery of chain) {
      if (this.stopping || subscription.state !== 'active') return;
      if (new Date(delivery.nextAttempt) > this.clock.now()) return; // the oldest waits for its retry: so does the rest
      turn.since = performance.now();
      let outcome: DeliveryOutcome;
      try {
        outcome = await this.channel(subscription).deliver(subscription, delivery, () => this.queue.grant(delivery.seq));
      } catch (error) {
        await this.failed(subscription, delivery, error instanceof Error ? error.message : String(error));
        return;
      }
      if (outcome.outcome === 'refused') {
        await this.refused(subscription, outcome.reason);
        return;
      }
      await this.settle(subscription, delivery, outcome);
    }
  }

  private async settle(
    subscription: SubscriptionEntity,
    delivery: DeliveryEntity,
    result: Exclude<DeliveryOutcome, { outcome: 'refused' }>,
  ): Promise<void> {
    const now = this.clock.now().toISOString();
    const status = result.outcome;
    const reason = result.outcome === 'delivered' ? null : result.reason;
    const patch: Partial<SubscriptionEntity> = { failingSince: null };
    if (status === 'delivered') Object.assign(patch, { delivered: subscription.delivered + 1, lastDelivered: now });
    if (status === 'denied') Object.assign(patch, { denied: subscription.denied + 1, reason: `push denied at ${now}: ${reason}` });
    if (status === 'dead') Object.assign(patch, { deadLetters: subscription.deadLetters + 1, reason: `dead letter at ${now}: ${reason}` });
    const end = { status, lastError: reason, deliveredAt: status === 'delivered' ? now : null, attempts: delivery.attempts + 1 };
    await this.queue.record(delivery.seq, end, subscription.id, patch);
    Object.assign(subscription, patch);
    this.metrics.delivery(subscription.channel, status);
    if (status === 'denied') this.logger.warn(`push ${delivery.id} to ${subscription.subscriber} denied: ${reason}`);
    if (status === 'dead') {
      this.logger.warn(`delivery ${delivery.id} to ${subscription.location} refused for good, kept as a dead letter: ${reason}`);
    }
  }

  /** The subscriber is not what it said (it answered, but not as one): no retry; suspended with the reason. */
  private async refused(subscription: SubscriptionEntity, reason: string): Promise<void> {
    const now = this.clock.now().toISOString();
    const patch: Partial<SubscriptionEntity> = { state: 'suspended', reason: `suspended at ${now}, not retried: ${reason}` };
    await this.queue.record(null, {}, subscription.id, patch);
    Object.assign(subscription, patch);
    this.metrics.delivery(subscription.channel, 'refused');
    this.logger.warn(`subscription ${subscription.id} (${subscription.location}) suspended: ${reason}`);
  }

  private async failed(subscription: SubscriptionEntity, delivery: DeliveryEntity, message: string): Promise<void> {
    const now = this.clock.now();
    const attempts = delivery.attempts + 1;
    const delay = Math.min(this.settings.retryMaxMs, this.runtime.pollMs * 2 ** Math.min(attempts - 1, 20));
    const failingSince = subscription.failingSince ?? now.toISOString();
    // The NGSI-LD broker is ours to reach, not a subscriber that left: it is retried, never suspended.
    const suspend =
      subscription.channel !== 'ngsi-ld' && now.getTime() - new Date(failingSince).getTime() >= this.settings.suspendAfterSeconds * 1000;
    const patch: Partial<SubscriptionEntity> = suspend
      ? {
          failingSince,
          state: 'suspended',
          reason: `suspended at ${now.toISOString()}: no delivery succeeded since ${failingSince} (FEP_DELIVERY_SUSPEND_AFTER_S); last error: ${message}`,
        }
      : { failingSince };
    const retry = { attempts, lastError: message, nextAttempt: new Date(now.getTime() + delay).toISOString() };
    await this.queue.record(delivery.seq, retry, subscription.id, patch);
    Object.assign(subscription, patch);
    this.metrics.delivery(subscription.channel, 'failed');
    if (suspend) {
      this.logger.warn(`subscription ${subscription.id} (${subscription.location}) suspended: ${message}`);
    } else if (attempts === 1 || attempts % 10 === 0) {
      this.logger.warn(`delivery ${delivery.id} to ${subscription.location} failed, attempt ${attempts}: ${message}`);
    }
  }

  private async retain(): Promise<void> {
    if (!(await this.lease.held())) return;
    const removed = await this.queue.retain(this.clock.now(), this.settings.retentionHours * 3_600_000, this.settings.keepDone);
    if (removed > 0) {
      this.logger.log(`removed ${removed} finished deliveries past retention (FEP_DELIVERY_RETENTION_HOURS, FEP_DELIVERY_KEEP_DONE)`);
    }
  }
}
