import { Inject, Injectable } from '@nestjs/common';
import { ConnectorError } from '../common/connector.error.js';
import { readPayload } from '../ids/transport/ids-transport.codec.js';
import { ArtifactService } from '../resources/artifact.service.js';
import type { DeliveryChannel, DeliveryOutcome, WebhookBody } from './delivery.channel.js';
import { deliverySettings, type DeliverySettings } from './delivery.settings.js';
import type { DeliveryEntity } from './entities/delivery.entity.js';
import type { SubscriptionEntity } from './entities/subscription.entity.js';
import { HttpPoster } from './http.poster.js';

/** Bytes of an artifact a webhook push carries at most (larger data: the receiver reads it from the artifact API). */
const WEBHOOK_DATA_MAX = 8 << 20;

/**
 * A local system is told of a change by an HTTP POST: a JSON body (WebhookBody) and the headers the Dataspace
 * Connector's non-IDS notifications carry (`ids-event`, `ids-target`), plus the delivery id, the same on every
 * attempt, so the receiver can drop a repeat. 2xx is delivered; anything else is retried.
 */
@Injectable()
export class WebhookChannel implements DeliveryChannel {
  constructor(
    private readonly poster: HttpPoster,
    private readonly artifacts: ArtifactService,
    @Inject(deliverySettings.token) private readonly settings: DeliverySettings,
  ) {}

  async deliver(subscription: SubscriptionEntity, delivery: DeliveryEntity): Promise<DeliveryOutcome> {
    const url = subscription.side === 'consumer' ? subscription.webhook : subscription.location;
    if (url === null) return { outcome: 'dropped', reason: 'the subscription has no webhook' };
    const body: WebhookBody = {
      event: 'UPDATED',
      kind: delivery.kind,
      delivery: delivery.id,
      subscription: subscription.id,
      target: subscription.target,
      resource: delivery.resourceIri,
      artifact: delivery.artifactIri,
      at: delivery.created,
    };
    // A consumer-side notification always says what arrived; a provider-side one carries the data when asked.
    if (delivery.kind === 'notification' && delivery.body !== null) {
      body.data = JSON.parse(delivery.body) as unknown;
    } else if (subscription.pushData && delivery.kind === 'data') {
      const pushed = await this.data(delivery);
      if ('outcome' in pushed) return pushed;
      Object.assign(body, pushed);
    }
    const answer = await this.poster.post(
      url,
      {
        'content-type': 'application/json',
        'ids-event': 'UPDATED',
        'ids-target': subscription.target,
        'fep-event': delivery.kind,
        'fep-delivery': delivery.id,
      },
      JSON.stringify(body),
      this.settings.timeoutMs,
    );
    if (answer.status < 200 || answer.status > 299) throw new Error(`${url} answered HTTP ${answer.status}`);
    return { outcome: 'delivered' };
  }

  private async data(delivery: DeliveryEntity): Promise<Pick<WebhookBody, 'data' | 'dataBase64' | 'mediaType'> | DeliveryOutcome> {
    if (delivery.body !== null) return { data: JSON.parse(delivery.body) as unknown, mediaType: 'application/json' };
    const artifact = delivery.artifactIri === null ? null : await this.artifacts.findByIri(delivery.artifactIri);
    if (artifact === null) return { outcome: 'dropped', reason: `${delivery.artifactIri ?? '(none)'} is no longer offered` };
    const { data } = await this.artifacts.openArtifact(artifact);
    // Larger data is left out: the receiver reads it from the artifact API.
    const bytes = await readPayload(data.stream, WEBHOOK_DATA_MAX).catch((error: unknown) => {
      data.stream.destroy();
      if (error instanceof ConnectorError && error.code === 'PAYLOAD_TOO_LARGE') return null;
      throw error;
    });
    if (bytes === null) return {};
    const mediaType = data.mediaType ?? 'application/octet-stream';
    if (/json/i.test(mediaType)) {
      try {
        return { data: JSON.parse(bytes.toString('utf8')) as unknown, mediaType };
      } catch {
        // not JSON after all: sent as bytes
      }
    }
    return { dataBase64: bytes.toString('base64'), mediaType };
  }
}
