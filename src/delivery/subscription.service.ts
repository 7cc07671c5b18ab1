import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import type { Page } from '../common/page.js';
import { AgreementEntity } from '../contracts/entities/agreement.entity.js';
import { inTransaction } from '../database/transaction.runner.js';
import { ArtifactEntity } from '../resources/entities/artifact.entity.js';
import { RepresentationEntity } from '../resources/entities/representation.entity.js';
import { ResourceEntity } from '../resources/entities/resource.entity.js';
import { deliverySettings, type DeliverySettings } from './delivery.settings.js';
import { DeliveryEntity } from './entities/delivery.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';
import type { SubscriptionRequest } from './subscription.parser.js';
import { SubscriberChecks } from './subscriber.checks.js';
import type { IdsSubscriber, WatchedTarget } from './subscription.model.js';

/**
 * Provider-side subscriptions: IDS ones from other connectors (their RequestMessages), webhooks from the admin,
 * and the NGSI-LD broker's row. A push of data is a use under an agreement, so a subscription with pushData is
 * accepted only from a consumer holding an agreement that covers the artifact (the policy then decides each push).
 */
@Injectable()
export class SubscriptionService {
  private readonly logger = new Logger('Delivery');

  constructor(
    private readonly dataSource: DataSource,
    private readonly checks: SubscriberChecks,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(deliverySettings.token) private readonly settings: DeliverySettings,
  ) {}

  private get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** A resource, representation or artifact of our catalog; NOT_FOUND otherwise. */
  async watched(iri: string): Promise<WatchedTarget> {
    if ((await this.manager.countBy(ArtifactEntity, { iri })) > 0) return { kind: 'artifact', iri };
    if ((await this.manager.countBy(RepresentationEntity, { iri })) > 0) return { kind: 'representation', iri };
    if ((await this.manager.countBy(ResourceEntity, { iri })) > 0) return { kind: 'resource', iri };
    throw new ConnectorError('NOT_FOUND', `no resource, representation or artifact ${iri} is offered here`, 'target');
  }

  /** The newest agreement made with this consumer (and its DAT subject) that covers the artifact. */
  private async agreementFor(subscriber: IdsSubscriber, artifact: string): Promise<AgreementEntity | undefined> {
    const agreements = await this.manager.find(AgreementEntity, { where: { consumer: subscriber.connector }, order: { created: 'DESC' } });
    return agreements.find(
      (a) =>
        a.targets.includes(artifact) &&
        (a.consumerSubject === null || subscriber.subject === null || a.consumerSubject === subscriber.subject),
    );
  }

  /**
   * Room for one more: partners' IDS subscriptions count against FEP_DELIVERY_MAX_SUBSCRIPTIONS and, per subscriber,
   * FEP_DELIVERY_MAX_PER_SUBSCRIBER; the admin's webhooks against FEP_DELIVERY_MAX_WEBHOOKS, so partners can never
   * fill the room the operator's own webhooks need.
   */
  private async checkRoom(manager: EntityManager, channel: 'ids' | 'webhook', subscriber?: string): Promise<void> {
    if (channel === 'webhook') {
      if ((await manager.countBy(SubscriptionEntity, { side: 'provider', channel })) >= this.settings.maxWebhooks) {
        throw new ConnectorError(
          'TEMPORARILY_NOT_AVAILABLE',
          `this connector holds FEP_DELIVERY_MAX_WEBHOOKS (${this.settings.maxWebhooks}) webhooks already`,
        );
      }
      return;
    }
    if (
      subscriber !== undefined &&
      (await manager.countBy(SubscriptionEntity, { side: 'provider', channel, subscriber })) >= this.settings.maxPerSubscriber
    ) {
      throw new ConnectorError(
        'TEMPORARILY_NOT_AVAILABLE',
        `${subscriber} holds FEP_DELIVERY_MAX_PER_SUBSCRIBER (${this.settings.maxPerSubscriber}) subscriptions here already: unsubscribe one first`,
      );
    }
    if ((await manager.countBy(SubscriptionEntity, { side: 'provider', channel })) >= this.settings.maxSubscriptions) {
      throw new ConnectorError(
        'TEMPORARILY_NOT_AVAILABLE',
        `this connector holds FEP_DELIVERY_MAX_SUBSCRIPTIONS (${this.settings.maxSubscriptions}) subscriptions already`,
      );
    }
  }

  /** An IDS subscription (ids:RequestMessage with the subscription as payload); one per subscriber and target. */
  async subscribeIds(request: SubscriptionRequest, subscriber: IdsSubscriber): Promise<SubscriptionEntity> {
    const target = await this.watched(request.target);
    await this.checks.mayWatch(subscriber, target);
    let agreementIri: string | null = null;
    if (request.pushData) {
      if (target.kind !== 'artifact') {
        throw ConnectorError.badInput(
          'pushData',
          `pushes carry an artifact's data: subscribe to an artifact, not the ${target.kind} ${target.iri}`,
        );
      }
      const agreement = await this.agreementFor(subscriber, target.iri);
      if (agreement === undefined) {
        throw new ConnectorError(
          'NOT_AUTHORIZED',
          `pushData: no contract agreement made with ${subscriber.connector} covers ${target.iri}; negotiate one first (or subscribe without pushData)`,
        );
      }
      agreementIri = agreement.iri;
    }
    await this.checks.mayNotify(subscriber, request.location);
    return inTransaction(this.manager, async (tx) => {
      const existing = await tx.findOneBy(SubscriptionEntity, {
        side: 'provider',
        channel: 'ids',
        subscriber: subscriber.connector,
        target: target.iri,
      });
      if (existing === null) await this.checkRoom(tx, 'ids', subscriber.connector);
      const row: SubscriptionEntity = {
        ...(existing ?? this.blank('provider', 'ids')),
        target: target.iri,
        location: request.location,
        subscriber: subscriber.connector,
        pushData: request.pushData,
        title: request.title,
        description: request.description,
        agreementIri,
        subscriberSubject: subscriber.subject,
        securityProfile: subscriber.securityProfile,
        requestId: subscriber.requestId,
        state: 'active',
        reason: null,
        failingSince: null,
      };
      await tx.save(SubscriptionEntity, row);
      this.logger.log(
        `${subscriber.connector} subscribed to ${target.iri}${request.pushData ? ` with pushData under ${agreementIri}` : ''}`,
      );
      return row;
    });
  }

  /** Unsubscribe (ids:RequestMessage with ids:target and no payload): that subscriber's subscription ends. */
  async unsubscribeIds(target: string, connector: string): Promise<void> {
    const rows = await this.manager.findBy(SubscriptionEntity, { side: 'provider', channel: 'ids', subscriber: connector, target });
    if (rows.length === 0) throw new ConnectorError('NOT_FOUND', `${connector} has no subscription to ${target} here`, 'target');
    for (const row of rows) await this.end(row);
    this.logger.log(`${connector} unsubscribed from ${target}`);
  }

  /** A local system told of changes by HTTP POST (created by the admin). */
  async createWebhook(request: SubscriptionRequest): Promise<SubscriptionEntity> {
    const target = await this.watched(request.target);
    return inTransaction(this.manager, async (tx) => {
      await this.checkRoom(tx, 'webhook');
      const row: SubscriptionEntity = {
        ...this.blank('provider', 'webhook'),
        target: target.iri,
        location: request.location,
        subscriber: request.subscriber ?? request.location,
        pushData: request.pushData,
        title: request.title,
        description: request.description,
      };
      await tx.save(SubscriptionEntity, row);
      return row;
    });
  }

  /** The broker's one row (FEP_NGSI_LD_URL), created or pointed at the configured URL at boot. */
  async ensureNgsiLd(url: string | undefined): Promise<void> {
    await inTransaction(this.manager, async (tx) => {
      const rows = await tx.findBy(SubscriptionEntity, { side: 'provider', channel: 'ngsi-ld' });
      if (url === undefined) {
        for (const row of rows) await this.end(row, tx);
        return;
      }
      const row = rows[0] ?? {
        ...this.blank('provider', 'ngsi-ld'),
        target: 'urn:fep:ngsi-ld',
        subscriber: 'urn:fep:ngsi-ld',
        pushData: true,
      };
      await tx.save(SubscriptionEntity, { ...row, location: url, title: 'NGSI-LD context broker (FEP_NGSI_LD_URL)' });
    });
  }

  blank(side: SubscriptionEntity['side'], channel: SubscriptionEntity['channel']): SubscriptionEntity {
    return {
      id: randomUUID(),
      side,
      channel,
      target: '',
      location: '',
      subscriber: '',
      pushData: false,
      title: null,
      description: null,
      agreementIri: null,
      subscriberSubject: null,
      securityProfile: null,
      requestId: null,
      peer: null,
      remoteUrl: null,
      webhook: null,
      state: 'active',
      reason: null,
      failingSince: null,
      delivered: 0,
      denied: 0,
      dropped: 0,
      deadLetters: 0,
      lastDelivered: null,
      created: this.clock.now().toISOString(),
    };
  }

  async list(side: SubscriptionEntity['side'], page: number, size: number): Promise<Page<SubscriptionView>> {
    const [rows, total] = await this.manager.findAndCount(SubscriptionEntity, {
      where: { side },
      order: { created: 'ASC', id: 'ASC' },
      skip: page * size,
      take: size,
    });
    return { items: await Promise.all(rows.map((r) => this.view(r))), page, size, total };
  }

  async get(id: string, side?: SubscriptionEntity['side']): Promise<SubscriptionEntity> {
    const row = await this.manager.findOneBy(SubscriptionEntity, { id, ...(side ? { side } : {}) });
    if (row === null) throw ConnectorError.notFound('subscription', id);
    return row;
  }

  /** A subscription with what waits for it. */
  async view(row: SubscriptionEntity): Promise<SubscriptionView> {
    const pending = await this.manager.countBy(DeliveryEntity, { subscriptionId: row.id, status: 'pending' });
    return { ...row, pending };
  }

  async deliveries(id: string, page: number, size: number): Promise<Page<DeliveryEntity>> {
    await this.get(id);
    const [items, total] = await this.manager.findAndCount(DeliveryEntity, {
      where: { subscriptionId: id },
      order: { seq: 'DESC' },
      skip: page * size,
      take: size,
    });
    return { items, page, size, total };
  }

  /** Revoked by the admin or unsubscribed: the row goes, what was still to be delivered is dropped. */
  async end(row: SubscriptionEntity, manager: EntityManager = this.manager): Promise<void> {
    await inTransaction(manager, async (tx) => {
      await tx.update(
        DeliveryEntity,
        { subscriptionId: row.id, status: 'pending' },
        { status: 'dropped', lastError: 'the subscription ended' },
      );
      await tx.delete(SubscriptionEntity, { id: row.id });
    });
  }

  /** A suspended subscription is active again: what waited for it goes now, in order. */
  async resume(id: string): Promise<SubscriptionEntity> {
    const row = await this.get(id);
    await inTransaction(this.manager, async (tx) => {
      await tx.update(SubscriptionEntity, { id }, { state: 'active', reason: null, failingSince: null });
      await tx.update(DeliveryEntity, { subscriptionId: id, status: 'pending' }, { nextAttempt: this.clock.now().toISOString() });
    });
    return { ...row, state: 'active', reason: null, failingSince: null };
  }

  /** Subscriptions by id (the worker's lookup). */
  byIds(ids: string[]): Promise<SubscriptionEntity[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.manager.findBy(SubscriptionEntity, { id: In(ids) });
  }
}

export type SubscriptionView = SubscriptionEntity & { pending: number };
