import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:net';
import { AdminListener } from '../common/http/admin-listener.js';
import { DataSource, In } from 'typeorm';
import { ConnectorError } from '../common/connector.error.js';
import { forbiddenDestination } from '../common/http/address.check.js';
import { AgreementEntity } from '../contracts/entities/agreement.entity.js';
import { idsSettings, type IdsSettings } from '../ids/ids.settings.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import { IdsClient } from '../ids/outbound/ids.client.js';
import { ArtifactEntity } from '../resources/entities/artifact.entity.js';
import { ContractOfferEntity } from '../resources/entities/contract-offer.entity.js';
import { RepresentationEntity } from '../resources/entities/representation.entity.js';
import { ResourceEntity } from '../resources/entities/resource.entity.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import { deliverySettings, type DeliverySettings } from './delivery.settings.js';
import type { IdsSubscriber, WatchedTarget } from './subscription.model.js';

/** How long the subscriber's endpoint has to answer the description request that proves it is the subscriber's. */
const PROOF_TIMEOUT_MS = 5000;

/**
 * What a partner's IDS subscription must satisfy before this node sends anything on its behalf:
 * - it may see the target: an agreement made with it covers (an artifact of) the target, or an offer of the target's
 *   resource would permit it a use now (decided by the policy engine, nothing spent);
 * - `location` leads to the subscriber itself: its IDS endpoint answers a description request with the subscriber's
 *   own connector id and a token this node accepts; and it is not this node, loopback, link-local or unspecified
 *   (FEP_DELIVERY_ALLOW_PRIVATE_ADDRESSES for nodes that share one host; this node's own ports stay refused) — unless the operator listed it in
 *   FEP_DELIVERY_ALLOWED_LOCATIONS, which skips both.
 * Without this, a subscription let any partner make the provider send requests anywhere (its own usage API among
 * them), retried for a day.
 */
@Injectable()
export class SubscriberChecks {
  constructor(
    private readonly dataSource: DataSource,
    private readonly client: IdsClient,
    private readonly builder: MessageBuilder,
    private readonly usage: UsageEnforcer,
    private readonly adapter: HttpAdapterHost,
    @Inject(AdminListener) private readonly adminListener: AdminListener,
    @Inject(idsSettings.token) private readonly ids: IdsSettings,
    @Inject(deliverySettings.token) private readonly settings: DeliverySettings,
  ) {}

  /** NOT_AUTHORIZED unless the subscriber may see the target. */
  async mayWatch(subscriber: IdsSubscriber, target: WatchedTarget): Promise<void> {
    const m = this.dataSource.manager;
    const { artifacts, resourceId } = await this.under(target);
    const agreements = await m.find(AgreementEntity, { where: { consumer: subscriber.connector } });
    const covered = agreements.some(
      (a) =>
        a.targets.some((t) => artifacts.includes(t)) &&
        (a.consumerSubject === null || subscriber.subject === null || a.consumerSubject === subscriber.subject),
    );
    if (covered) return;
    const offers = resourceId === null ? [] : await m.find(ContractOfferEntity, { where: { resourceId } });
    for (const offer of offers) {
      for (const artifact of artifacts) {
        const standing = await this.usage.standing({
          side: 'provider',
          agreementIri: offer.iri,
          document: offer.document,
          stored: offer.created,
          target: artifact,
          consumer: subscriber.connector,
          ...(subscriber.securityProfile === null ? {} : { securityProfile: subscriber.securityProfile }),
        });
        if (standing.permitted) return;
      }
    }
    throw new ConnectorError(
      'NOT_AUTHORIZED',
      `${subscriber.connector} holds no agreement covering ${target.iri}, and no offer of it permits ${subscriber.connector} a use: negotiate first`,
      'target',
    );
  }

  /** BAD_INPUT naming `location` unless it may be called for this subscriber. */
  async mayNotify(subscriber: IdsSubscriber, location: string): Promise<void> {
    if (this.settings.allowedLocations.some((prefix) => location.startsWith(prefix))) return;
    await this.mayCall(location);
    let answered: string;
    try {
      const header = this.builder.newMessage('ids:DescriptionRequestMessage', '', {
        'ids:recipientConnector': [{ '@id': subscriber.connector }],
      });
      const response = await this.client.send({ url: location, header, timeoutMs: PROOF_TIMEOUT_MS });
      response.payload?.resume();
      answered = response.message.issuerConnector;
    } catch (error) {
      throw ConnectorError.badInput(
        'location',
        `must be the subscriber's own IDS endpoint (or listed in FEP_DELIVERY_ALLOWED_LOCATIONS): a description request to ${location} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (answered !== subscriber.connector) {
      throw ConnectorError.badInput(
        'location',
        `must be the subscriber's own IDS endpoint: ${location} answers as ${answered}, not as ${subscriber.connector}`,
      );
    }
  }

  /** The address rule alone (each delivery checks it again: a name may resolve elsewhere by then). */
  async mayCall(location: string): Promise<void> {
    if (this.settings.allowedLocations.some((prefix) => location.startsWith(prefix))) return;
    const why = await forbiddenDestination(location, {
      aliases: this.ids.resolve,
      allowPrivate: this.settings.allowPrivateAddresses,
      ownPorts: this.ownPorts(),
    });
    if (why !== undefined) {
      throw ConnectorError.badInput(
        'location',
        `${why}: a partner's notifications may not go there (FEP_DELIVERY_ALLOWED_LOCATIONS lists exceptions)`,
      );
    }
  }

  /** The ports this node answers on (the IDS port, and the admin port when it has one). */
  private ownPorts(): number[] {
    const server = this.adapter.httpAdapter?.getHttpServer() as Server | undefined;
    const address = server?.address();
    const ports = typeof address === 'object' && address !== null ? [address.port] : [];
    if (this.adminListener.adminPort !== undefined) ports.push(this.adminListener.adminPort);
    return ports;
  }

  /** The artifacts a target covers, and its resource. */
  private async under(target: WatchedTarget): Promise<{ artifacts: string[]; resourceId: string | null }> {
    const m = this.dataSource.manager;
    if (target.kind === 'artifact') {
      const artifact = await m.findOneBy(ArtifactEntity, { iri: target.iri });
      const representation = artifact === null ? null : await m.findOneBy(RepresentationEntity, { id: artifact.representationId });
      return { artifacts: [target.iri], resourceId: representation?.resourceId ?? null };
    }
    let resourceId: string | null;
    let representations: RepresentationEntity[];
    if (target.kind === 'representation') {
      const representation = await m.findOneBy(RepresentationEntity, { iri: target.iri });
      resourceId = representation?.resourceId ?? null;
      representations = representation === null ? [] : [representation];
    } else {
      resourceId = (await m.findOneBy(ResourceEntity, { iri: target.iri }))?.id ?? null;
      representations = resourceId === null ? [] : await m.findBy(RepresentationEntity, { resourceId });
    }
    const artifacts =
      representations.length === 0 ? [] : await m.findBy(ArtifactEntity, { representationId: In(representations.map((r) => r.id)) });
    return { artifacts: artifacts.map((a) => a.iri), resourceId };
  }
}
