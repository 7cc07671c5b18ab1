import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { Metrics } from '../common/telemetry/metrics.js';
import { deliverySettings, type DeliverySettings } from './delivery.settings.js';
import type { JsonValue } from '../common/json.js';
import { DeliveryEntity, type DeliveryKind } from './entities/delivery.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';

/** A change of catalog content that subscribers of any of `targets` are told of. */
export interface TargetChange {
  kind: DeliveryKind;
  resourceIri: string;
  artifactIri: string | null;
  /** The IRIs whose subscribers are concerned (the artifact, its representation, its resource, or the children). */
  targets: string[];
  /** The new value as it is now (a data-app output value); null: read the artifact's bytes when sending. */
  body: JsonValue | null;
}

/**
 * The writing side of the delivery outbox. Callers hand the EntityManager of the transaction that makes the change
 * (an output value stored, an artifact's bytes replaced, a resource updated): the deliveries commit or roll back
 * with it, so a change is never lost between being made and being announced.
 */
@Injectable()
export class DeliveryOutbox {
  private wakeup: () => void = () => undefined;
  private readonly logger = new Logger('Delivery');

  constructor(
    @Inject(Clock) private readonly clock: Clock,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(deliverySettings.token) private readonly settings: DeliverySettings,
  ) {}

  onCommit(wakeup: () => void): void {
    this.wakeup = wakeup;
  }

  /** Wakes the worker after the caller's transaction committed (or soon, when the caller cannot tell). */
  committed(): void {
    setTimeout(() => this.wakeup(), 5).unref();
  }

  /** One delivery per active provider-side subscription of the change's targets; the number written. */
  async enqueue(manager: EntityManager, change: TargetChange, channels?: SubscriptionEntity['channel'][]): Promise<number> {
    if (change.targets.length === 0) return 0;
    const subscriptions = await manager.find(SubscriptionEntity, {
      where: { side: 'provider', target: In(change.targets), ...(channels ? { channel: In(channels) } : {}) },
      order: { created: 'ASC' },
    });
    return this.write(manager, subscriptions, change);
  }

  /** Deliveries for the given subscriptions (the NGSI-LD row, a consumer-side webhook). */
  async write(manager: EntityManager, subscriptions: SubscriptionEntity[], change: Omit<TargetChange, 'targets'>): Promise<number> {
    const now = this.clock.now().toISOString();
    let written = 0;
    for (const subscription of subscriptions) {
      // A suspended subscription keeps its place: what changes meanwhile waits for it (the admin resumes or revokes).
      await manager.insert(DeliveryEntity, {
        id: randomUUID(),
        subscriptionId: subscription.id,
        kind: change.kind,
        resourceIri: change.resourceIri,
        artifactIri: change.artifactIri,
        body: change.body === null ? null : JSON.stringify(change.body),
        status: 'pending',
        granted: false,
        attempts: 0,
        nextAttempt: now,
        lastError: null,
        created: now,
        deliveredAt: null,
      });
      written++;
      await this.bound(manager, subscription);
    }
    if (written > 0) this.committed();
    return written;
  }

  /**
   * At most FEP_DELIVERY_MAX_PENDING deliveries wait per subscription: past it the oldest are dropped unsent (not the
   * head, which may be on its way), counted on the subscription and in metrics. A subscriber that is down or slow
   * then costs bounded room, and what it gets when it is back is the newest.
   */
  private async bound(manager: EntityManager, subscription: SubscriptionEntity): Promise<void> {
    const max = this.settings.maxPending;
    const pending = await manager.countBy(DeliveryEntity, { subscriptionId: subscription.id, status: 'pending' });
    if (pending <= max) return;
    const doomed = await manager.find(DeliveryEntity, {
      select: { seq: true },
      where: { subscriptionId: subscription.id, status: 'pending' },
      order: { seq: 'ASC' },
      skip: 1,
      take: pending - max,
    });
    if (doomed.length === 0) return;
    const reason = `dropped unsent: more than ${max} deliveries were waiting for this subscriber (FEP_DELIVERY_MAX_PENDING)`;
    await manager.update(DeliveryEntity, { seq: In(doomed.map((d) => d.seq)) }, { status: 'dropped', lastError: reason });
    await manager.increment(SubscriptionEntity, { id: subscription.id }, 'dropped', doomed.length);
    this.metrics.delivery(subscription.channel, 'overflow', doomed.length);
    if (subscription.dropped === 0) this.logger.warn(`subscription ${subscription.id} (${subscription.location}): ${reason}`);
    subscription.dropped += doomed.length;
  }
}
