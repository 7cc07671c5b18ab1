import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { serverSettings, type ServerSettings } from '../common/http/server.settings.js';
import type { JsonValue } from '../common/json.js';
import type { Page } from '../common/page.js';
import { ConsumerService } from '../consumer/consumer.service.js';
import { inTransaction } from '../database/transaction.runner.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import type { InboundMessage } from '../ids/inbound/message-handler.contract.js';
import { ref } from '../ids/infomodel/jsonld.writer.js';
import { DeliveryOutbox } from './delivery.outbox.js';
import { ReceivedNotificationEntity } from './entities/received-notification.entity.js';
import { SubscriptionEntity } from './entities/subscription.entity.js';
import { httpLocation } from './subscription.parser.js';
import { SubscriptionService } from './subscription.service.js';

export interface ConsumerSubscribe {
  /** The provider's IDS endpoint (`.../data`). */
  recipient: string;
  /** A remote offer (resource), representation or artifact. */
  target: string;
  pushData: boolean;
  title?: string;
  description?: string;
  /** Where the provider sends notifications: our IDS endpoint by default. */
  location?: string;
  /** A local backend told of each notification received (HTTP POST). */
  webhook?: string;
}

/**
 * The consumer side of subscriptions: subscribe at a provider (an ids:RequestMessage carrying the subscription, as
 * the Dataspace Connector sends it), unsubscribe (the same with ids:target only), and take the provider's
 * ids:ResourceUpdateMessages: pushed data is kept with the other received artifacts under its agreement (and so
 * under this side's enforcement), each notification is recorded once, and a local webhook is told.
 */
@Injectable()
export class ConsumerSubscriptionService {
  private readonly logger = new Logger('Delivery');

  constructor(
    private readonly dataSource: DataSource,
    private readonly consumer: ConsumerService,
    private readonly subscriptions: SubscriptionService,
    private readonly outbox: DeliveryOutbox,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
    @Inject(serverSettings.token) private readonly server: ServerSettings,
  ) {}

  async subscribe(request: ConsumerSubscribe): Promise<SubscriptionEntity> {
    httpLocation('recipient', request.recipient);
    if (request.webhook !== undefined) httpLocation('webhook', request.webhook);
    const location = httpLocation('location', request.location ?? `${this.server.publicUrl}/data`);
    const payload = {
      title: request.title ?? null,
      description: request.description ?? null,
      target: request.target,
      location,
      subscriber: this.connector.id,
      pushData: request.pushData,
    };
    const response = await this.consumer.exchange(
      request.recipient,
      'ids:RequestMessage',
      { 'ids:target': ref(request.target) },
      { data: JSON.stringify(payload), contentType: 'application/json' },
    );
    response.payload?.resume();
    await response.done;
    if (response.message.type !== 'ids:MessageProcessedNotificationMessage') {
      throw new ConnectorError('REMOTE_ERROR', `expected an ids:MessageProcessedNotificationMessage, got ${response.message.type}`);
    }
    const row: SubscriptionEntity = {
      ...this.subscriptions.blank('consumer', 'ids'),
      target: request.target,
      location,
      subscriber: this.connector.id,
      pushData: request.pushData,
      title: payload.title,
      description: payload.description,
      // The reply correlates to our request: its @id is what the provider's notifications name.
      requestId: response.message.correlationMessage ?? null,
      peer: response.message.issuerConnector,
      remoteUrl: request.recipient,
      webhook: request.webhook ?? null,
    };
    return inTransaction(this.dataSource.manager, async (tx) => {
      // Subscribing again to the same target at the same provider replaces the old one (the provider does the same).
      await tx.delete(SubscriptionEntity, { side: 'consumer', remoteUrl: request.recipient, target: request.target });
      await tx.save(SubscriptionEntity, row);
      return row;
    });
  }

  /** Unsubscribes at the provider, then forgets the subscription (also when the provider no longer knew it). */
  async unsubscribe(id: string): Promise<void> {
    const row = await this.subscriptions.get(id, 'consumer');
    try {
      const response = await this.consumer.exchange(row.remoteUrl!, 'ids:RequestMessage', { 'ids:target': ref(row.target) });
      response.payload?.resume();
      await response.done;
    } catch (error) {
      if (!(error instanceof ConnectorError && error.code === 'NOT_FOUND')) throw error;
    }
    await this.subscriptions.end(row);
  }

  list(page: number, size: number): ReturnType<SubscriptionService['list']> {
    return this.subscriptions.list('consumer', page, size);
  }

  async notifications(page: number, size: number, subscriptionId?: string): Promise<Page<ReceivedNotificationEntity>> {
    const [items, total] = await this.dataSource.manager.findAndCount(ReceivedNotificationEntity, {
      where: subscriptionId === undefined ? {} : { subscriptionId },
      order: { received: 'ASC', id: 'ASC' },
      skip: page * size,
      take: size,
    });
    return { items, page, size, total };
  }

  /** The subscription a notification belongs to: by its ids:correlationMessage, else by provider and target. */
  private async subscriptionFor(provider: string, correlation: string | undefined, resource: string): Promise<SubscriptionEntity> {
    const mine = await this.dataSource.manager.findBy(SubscriptionEntity, { side: 'consumer', peer: provider });
    const found =
      (correlation === undefined ? undefined : mine.find((s) => s.requestId === correlation)) ??
      mine.find((s) => s.target === resource) ??
      (mine.length === 1 ? mine[0] : undefined);
    if (found === undefined) throw new ConnectorError('NOT_FOUND', `this connector has no subscription at ${provider} for ${resource}`);
    return found;
  }

  /** An ids:ResourceUpdateMessage from a provider we subscribed at. */
  async received({ message, payload, payloadContentType }: InboundMessage): Promise<void> {
    const resource = message.affectedResource!; // required of this message type by the parser
    const subscription = await this.subscriptionFor(message.issuerConnector, message.correlationMessage, resource);
    const known = await this.dataSource.manager.findOneBy(ReceivedNotificationEntity, { messageId: message.id });
    if (known !== null) return; // a retry of what we already keep: answered again, kept once
    const notification: ReceivedNotificationEntity = {
      id: randomUUID(),
      messageId: message.id,
      subscriptionId: subscription.id,
      provider: message.issuerConnector,
      resourceIri: resource,
      artifactIri: null,
      agreementIri: message.transferContract ?? null,
      receivedArtifactId: null,
      received: this.clock.now().toISOString(),
    };
    const tell = async (manager: Parameters<DeliveryOutbox['write']>[0], n: ReceivedNotificationEntity): Promise<void> => {
      await manager.insert(ReceivedNotificationEntity, n);
      if (subscription.webhook !== null) {
        const body: JsonValue = { ...n, subscriptionTarget: subscription.target };
        await this.outbox.write(manager, [subscription], { kind: 'notification', resourceIri: resource, artifactIri: n.artifactIri, body });
      }
    };
    if (message.transferContract !== undefined && subscription.pushData) {
      // Pushed data: the subscription's target is the artifact (a provider pushes artifacts only).
      await this.consumer.keepPushed(
        {
          provider: message.issuerConnector,
          providerUrl: subscription.remoteUrl ?? message.issuerConnector,
          artifact: subscription.target,
          agreementIri: message.transferContract,
          data: payload ?? Buffer.alloc(0),
          mediaType: payloadContentType ?? null,
          header: message.header,
        },
        (manager, artifact) => tell(manager, { ...notification, artifactIri: artifact.artifactIri, receivedArtifactId: artifact.id }),
      );
    } else {
      await inTransaction(this.dataSource.manager, (manager) => tell(manager, notification));
    }
    this.logger.log(
      `notification ${message.id} from ${message.issuerConnector} for ${resource}${message.transferContract ? ' with data' : ''}`,
    );
  }
}
