import { Inject, Injectable } from '@nestjs/common';
import type { JsonValue } from '../../common/json.js';
import { connectorSettings, type ConnectorSettings } from '../../ids/connector.settings.js';
import type { DeliveryChannel, DeliveryOutcome } from '../delivery.channel.js';
import { deliverySettings, type DeliverySettings } from '../delivery.settings.js';
import type { DeliveryEntity } from '../entities/delivery.entity.js';
import type { SubscriptionEntity } from '../entities/subscription.entity.js';
import { HttpPoster } from '../http.poster.js';
import { entitiesOf, type OutputValue } from './ngsi-ld.mapper.js';

/**
 * The node's name in entity ids: the connector id's host and path segments joined by colons
 * (`https://node.example/fep` -> `node.example:fep`), so that no id carries a slash, encoded or not.
 */
export function nodeName(connectorId: string): string {
  const url = URL.canParse(connectorId) ? new URL(connectorId) : undefined;
  if (url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:')) {
    return [url.host, ...url.pathname.split('/').filter((s) => s !== '')].join(':');
  }
  return connectorId.replace(/\/+/g, ':');
}

/**
 * What a broker's answer to a batch upsert means (ETSI GS CIM 009 V1.8.1, 5.6.8 and 6.3.6): 201 and 204 are success;
 * 207 Multi-Status (a BatchOperationResult) with errors is a dead letter for the entities it names (the others were
 * written); another 4xx, save 408 and 429, is a refusal of this content for good, a dead letter with the broker's
 * answer; 408, 429, 5xx and no answer are transient, retried with backoff, in order. Once, every answer but 201/204
 * was retried forever, and one entity the broker refused held every later output behind it.
 */
export function outcomeOf(status: number, text: string): DeliveryOutcome {
  if (status === 201 || status === 204) return { outcome: 'delivered' };
  const said = text === '' ? '' : `: ${text.slice(0, 500)}`;
  if (status === 207) {
    let failed: string[];
    try {
      const result = JSON.parse(text) as { errors?: { entityId?: unknown; error?: { title?: unknown } }[] };
      failed = (result.errors ?? []).map((e) => `${String(e.entityId)}${typeof e.error?.title === 'string' ? ` (${e.error.title})` : ''}`);
    } catch {
      failed = ['(an unreadable BatchOperationResult)'];
    }
    if (failed.length === 0) return { outcome: 'delivered' };
    return {
      outcome: 'dead',
      reason: `the broker refused ${failed.length} of the batch's entities (HTTP 207): ${failed.join('; ').slice(0, 500)}`,
    };
  }
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { outcome: 'dead', reason: `the broker refused the entities (HTTP ${status})${said}` };
  }
  throw new Error(`the NGSI-LD broker answered HTTP ${status}${said}`);
}

/**
 * Publishes data-app outputs to an NGSI-LD context broker: a batch upsert (ETSI GS CIM 009 V1.8.1, 5.6.8,
 * `POST /ngsi-ld/v1/entityOperations/upsert?options=update`, so attributes other outputs set on the same entity stay),
 * `application/json` with the @context as a Link header (6.3.5). Answers as `outcomeOf` says.
 */
@Injectable()
export class NgsiLdChannel implements DeliveryChannel {
  constructor(
    private readonly poster: HttpPoster,
    @Inject(deliverySettings.token) private readonly settings: DeliverySettings,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
  ) {}

  async deliver(subscription: SubscriptionEntity, delivery: DeliveryEntity): Promise<DeliveryOutcome> {
    if (delivery.body === null) return { outcome: 'dropped', reason: 'only data-app output values are published to the broker' };
    const change = JSON.parse(delivery.body) as OutputValue & { value: JsonValue };
    const entities = entitiesOf(nodeName(this.connector.id), change);
    if (entities.length === 0) return { outcome: 'dropped', reason: `${change.app}/${change.output} has no NGSI-LD mapping` };
    const base = subscription.location.replace(/\/+$/, '');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      link: `<${this.settings.ngsiLdContext}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"`,
      ...(this.settings.ngsiLdTenant === undefined ? {} : { 'ngsild-tenant': this.settings.ngsiLdTenant }),
      ...(this.settings.ngsiLdToken === undefined ? {} : { authorization: `Bearer ${this.settings.ngsiLdToken}` }),
    };
    const answer = await this.poster.post(
      `${base}/ngsi-ld/v1/entityOperations/upsert?options=update`,
      headers,
      JSON.stringify(entities),
      this.settings.timeoutMs,
    );
    return outcomeOf(answer.status, answer.text);
  }
}
