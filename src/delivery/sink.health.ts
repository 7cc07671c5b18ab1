import { In, type EntityManager } from 'typeorm';
import { DeliveryEntity } from './entities/delivery.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';

/** A sink of the operator's (the NGSI-LD broker, a webhook) that has not taken what waits for it. */
export interface StaleSink {
  subscription: string;
  channel: SubscriptionEntity['channel'];
  location: string;
  state: SubscriptionEntity['state'];
  pending: number;
  /** How long the oldest pending delivery has waited. */
  waitingSeconds: number;
  lastError: string | null;
}

/**
 * The operator's sinks (the NGSI-LD broker's row, webhooks on either side; not partners' IDS subscriptions, whose
 * outages are theirs) whose oldest pending delivery has waited longer than `afterMs`: readiness says `degraded`
 * naming them, so a broker that stopped taking entities is seen without reading the delivery tables.
 */
export async function staleSinks(manager: EntityManager, now: Date, afterMs: number): Promise<StaleSink[]> {
  const sinks = await manager.find(SubscriptionEntity, { where: [{ channel: In(['ngsi-ld', 'webhook']) }, { side: 'consumer' }] });
  const stale: StaleSink[] = [];
  for (const sink of sinks) {
    if (sink.side === 'consumer' && sink.webhook === null) continue;
    const [oldest] = await manager.find(DeliveryEntity, {
      select: { seq: true, created: true, lastError: true },
      where: { subscriptionId: sink.id, status: 'pending' },
      order: { seq: 'ASC' },
      take: 1,
    });
    if (oldest === undefined) continue;
    const waitingMs = now.getTime() - Date.parse(oldest.created);
    if (waitingMs <= afterMs) continue;
    stale.push({
      subscription: sink.id,
      channel: sink.channel,
      location: sink.side === 'consumer' ? (sink.webhook ?? '') : sink.location,
      state: sink.state,
      pending: await manager.countBy(DeliveryEntity, { subscriptionId: sink.id, status: 'pending' }),
      waitingSeconds: Math.round(waitingMs / 1000),
      lastError: oldest.lastError,
    });
  }
  return stale;
}
