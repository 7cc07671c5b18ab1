import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { ConnectorError } from '../common/connector.error.js';
import { sha256Tap } from '../common/stream/sha256.tap.js';
import { AgreementRepository } from '../contracts/agreement.repository.js';
import { ref, type JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import { IdsClient } from '../ids/outbound/ids.client.js';
import type { OutboundPayload } from '../ids/transport/multipart.writer.js';
import { ArtifactService } from '../resources/artifact.service.js';
import { SelfDescriptionService } from '../resources/self-description.service.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import type { DeliveryChannel, DeliveryOutcome } from './delivery.channel.js';
import type { DeliveryEntity } from './entities/delivery.entity.js';
import type { SubscriptionEntity } from './entities/subscription.entity.js';
import { SubscriberChecks } from './subscriber.checks.js';

/**
 * An IDS subscriber is told of a change by an ids:ResourceUpdateMessage (ids:affectedResource; the resource's
 * description as payload, as the Dataspace Connector sends it). With pushData and new data, the payload is the data
 * instead and the header names the agreement (`ids:transferContract`): the push is a use under it, decided by the
 * policy exactly as a pull (counted, logged, recorded at the clearing house like a transfer); a denied push is not
 * sent. The message @id is the delivery's on every attempt; `ids:correlationMessage` is the subscribe request's.
 */
@Injectable()
export class IdsChannel implements DeliveryChannel {
  constructor(
    private readonly client: IdsClient,
    private readonly builder: MessageBuilder,
    private readonly selfDescription: SelfDescriptionService,
    private readonly artifacts: ArtifactService,
    private readonly agreements: AgreementRepository,
    private readonly usage: UsageEnforcer,
    private readonly checks: SubscriberChecks,
  ) {}

  async deliver(subscription: SubscriptionEntity, delivery: DeliveryEntity, grant: () => Promise<void>): Promise<DeliveryOutcome> {
    // Checked again at every delivery: the name may resolve somewhere else than when it was subscribed.
    const forbidden = await this.checks.mayCall(subscription.location).then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    if (forbidden !== undefined) return { outcome: 'refused', reason: forbidden };
    const push = subscription.pushData && delivery.kind === 'data' && delivery.artifactIri !== null;
    const header = this.builder.newMessage('ids:ResourceUpdateMessage', '', {
      '@id': `https://w3id.org/idsa/autogen/resourceUpdateMessage/${delivery.id}`,
      'ids:affectedResource': ref(delivery.resourceIri),
      'ids:recipientConnector': [ref(subscription.subscriber)],
      'ids:correlationMessage': subscription.requestId === null ? undefined : ref(subscription.requestId),
      'ids:transferContract': push && subscription.agreementIri !== null ? ref(subscription.agreementIri) : undefined,
    });
    let payload: OutboundPayload;
    if (!push) {
      const description = await this.selfDescription.element(delivery.resourceIri).catch((error: unknown) => {
        if (error instanceof ConnectorError && error.code === 'NOT_FOUND') return undefined;
        throw error;
      });
      if (description === undefined) return { outcome: 'dropped', reason: `${delivery.resourceIri} is no longer offered` };
      payload = { data: JSON.stringify(description), contentType: 'application/ld+json' };
    } else {
      const pushed = await this.pushPayload(subscription, delivery, header, grant);
      if ('outcome' in pushed) return pushed;
      payload = pushed;
    }
    try {
      await this.client.send({ url: subscription.location, header, payload });
    } catch (error) {
      // Answered, but not with an IDS message: the location is not the subscriber's IDS endpoint (any more).
      if (error instanceof ConnectorError && (error.field === 'reply' || error.code === 'MALFORMED_MESSAGE')) {
        return { outcome: 'refused', reason: `${subscription.location} does not answer as an IDS endpoint: ${error.message}` };
      }
      throw error;
    }
    return { outcome: 'delivered' };
  }

  /** The data, once the policy has permitted this push (and counted it); a retry of a granted push is not decided again. */
  private async pushPayload(
    subscription: SubscriptionEntity,
    delivery: DeliveryEntity,
    header: JsonLd,
    grant: () => Promise<void>,
  ): Promise<OutboundPayload | DeliveryOutcome> {
    const artifactIri = delivery.artifactIri!;
    let data: OutboundPayload;
    let sha256: string | null = null;
    if (delivery.body !== null) {
      const bytes = Buffer.from(delivery.body, 'utf8');
      sha256 = createHash('sha256').update(bytes).digest('hex');
      data = { data: bytes, contentType: 'application/json', length: bytes.length };
    } else {
      const artifact = await this.artifacts.findByIri(artifactIri);
      if (artifact === null) return { outcome: 'dropped', reason: `${artifactIri} is no longer offered` };
      const opened = (await this.artifacts.openArtifact(artifact)).data;
      data = {
        data: opened.stream,
        contentType: opened.mediaType ?? 'application/octet-stream',
        ...(opened.size === undefined ? {} : { length: opened.size }),
      };
    }
    if (delivery.granted) return data;
    const agreement = subscription.agreementIri === null ? null : await this.agreements.findByIri(subscription.agreementIri);
    if (agreement === null) {
      if (typeof data.data === 'object' && 'destroy' in data.data) data.data.destroy();
      return { outcome: 'denied', reason: `the agreement ${subscription.agreementIri ?? '(none)'} no longer exists` };
    }
    try {
      const permit = await this.usage.authorize({
        side: 'provider',
        agreementIri: agreement.iri,
        document: agreement.document,
        stored: agreement.created,
        target: artifactIri,
        consumer: subscription.subscriber,
        ...(subscription.securityProfile === null ? {} : { securityProfile: subscription.securityProfile }),
        consume: true,
        transfer:
          sha256 === null ? { message: header, payloadSha256: null, served: 'pending' } : { message: header, payloadSha256: sha256 },
      });
      await grant();
      const recordId = permit.recordId;
      if (sha256 === null && recordId !== undefined && typeof data.data === 'object' && 'pipe' in data.data) {
        data = { ...data, data: sha256Tap(data.data, (served) => void this.usage.transferEnded(recordId, served)) };
      }
      return data;
    } catch (error) {
      if (typeof data.data === 'object' && 'destroy' in data.data) data.data.destroy();
      if (error instanceof ConnectorError && error.code === 'NOT_AUTHORIZED') return { outcome: 'denied', reason: error.message };
      throw error;
    }
  }
}
