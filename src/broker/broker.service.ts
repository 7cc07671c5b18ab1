import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { CONNECTOR_CONFIG } from '../config/config.module.js';
import type { ConnectorConfig } from '../config/connector.config.js';
import { ref, type JsonLd, type JsonLdValue } from '../ids/infomodel/jsonld.writer.js';
import { literal } from '../ids/infomodel/jsonld.reader.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import { IdsClient, type IdsResponse } from '../ids/outbound/ids.client.js';
import { readPayload } from '../ids/transport/ids-transport.codec.js';
import { SelfDescriptionService } from '../resources/self-description.service.js';

export interface RegistrationStatus {
  brokerUrl: string | null;
  /** What the connector wants the broker to show: registered (updates follow catalog changes) or not. */
  desired: 'registered' | 'unregistered';
  registered: boolean;
  /** The broker's `Location` for our entry, from its last MessageProcessedNotificationMessage. */
  location: string | null;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  /** The broker's last reply header. */
  lastReply: JsonLd | null;
}

const REPLY_LIMIT = 16 * 1024 * 1024;

/**
 * Metadata Broker registration (../shared/IDS-NOTES.md 3): `ids:ConnectorUpdateMessage` with the
 * self-description on start and after catalog changes, `ids:ConnectorUnavailableMessage` on shutdown or when
 * asked, resource messages and SPARQL queries on demand. The background sync retries with backoff and never
 * blocks start-up or the admin API; calls made by an operator report their outcome directly.
 */
@Injectable()
export class BrokerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Broker');
  private readonly state: RegistrationStatus;
  private dirty = false;
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly client: IdsClient,
    private readonly builder: MessageBuilder,
    private readonly selfDescription: SelfDescriptionService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
  ) {
    this.state = { brokerUrl: config.services.brokerUrl ?? null, desired: 'registered', registered: false, location: null, lastAttempt: null, lastSuccess: null, lastError: null, lastReply: null };
  }

  get enabled(): boolean {
    return this.config.services.brokerUrl !== undefined;
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.dirty = true;
    this.schedule(0);
  }

  /** Graceful shutdown: tell the broker we are gone (once, bounded), then stop retrying. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.syncing;
    if (!this.enabled || !this.state.registered) return;
    await this.send('ids:ConnectorUnavailableMessage', { 'ids:affectedConnector': ref(this.config.connector.id) }, undefined, 5000).catch((error: unknown) =>
      this.logger.warn(`could not unregister from the broker on shutdown: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  status(): RegistrationStatus {
    return { ...this.state };
  }

  /** The catalog changed: the broker gets the new self-description (coalesced, retried). */
  catalogChanged(): void {
    if (!this.enabled || this.state.desired !== 'registered' || this.stopped) return;
    this.dirty = true;
    this.schedule(200);
  }

  async register(): Promise<RegistrationStatus> {
    this.requireBroker();
    this.state.desired = 'registered';
    await this.pushSelfDescription();
    return this.status();
  }

  /** `ids:ConnectorUnavailableMessage`: the broker marks us inactive (infomodel 4.x has one message for delete and passivate). */
  async unregister(): Promise<RegistrationStatus> {
    this.requireBroker();
    this.state.desired = 'unregistered';
    this.dirty = false;
    await this.send('ids:ConnectorUnavailableMessage', { 'ids:affectedConnector': ref(this.config.connector.id) });
    this.state.registered = false;
    return this.status();
  }

  async resourceUpdate(resourceIri: string): Promise<JsonLd> {
    this.requireBroker();
    const resource = await this.selfDescription.element(resourceIri);
    const { response } = await this.send('ids:ResourceUpdateMessage', { 'ids:affectedResource': ref(resourceIri) }, resource);
    return response.header;
  }

  async resourceUnavailable(resourceIri: string): Promise<JsonLd> {
    this.requireBroker();
    const { response } = await this.send('ids:ResourceUnavailableMessage', { 'ids:affectedResource': ref(resourceIri) });
    return response.header;
  }

  /** `ids:QueryMessage` with a SPARQL query; the broker's answer comes back as it sent it. */
  async query(sparql: string): Promise<{ text: string; contentType: string }> {
    this.requireBroker();
    if (sparql.trim() === '') throw ConnectorError.badInput('query', 'a SPARQL query is required');
    const { text, response } = await this.send('ids:QueryMessage', { 'ids:queryLanguage': ref('idsc:SPARQL'), 'ids:queryScope': ref('idsc:ALL'), 'ids:recipientScope': ref('idsc:ANY') }, sparql, undefined, 'application/sparql-query');
    return { text, contentType: response.payloadContentType ?? 'text/plain' };
  }

  private requireBroker(): void {
    if (!this.enabled) throw new ConnectorError('BAD_INPUT', 'no broker is configured (FEP_BROKER_URL)');
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.sync(), delayMs);
    this.timer.unref();
  }

  private sync(): Promise<void> {
    if (this.syncing) return this.syncing;
    this.syncing = (async () => {
      while (this.dirty && !this.stopped && this.state.desired === 'registered') {
        this.dirty = false;
        try {
          await this.pushSelfDescription();
          this.attempts = 0;
        } catch {
          this.dirty = true;
          this.attempts++;
          const delay = Math.min(this.config.services.retryMaxMs, this.config.services.pollMs * 2 ** Math.min(this.attempts - 1, 20));
          this.schedule(delay);
          break;
        }
      }
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async pushSelfDescription(): Promise<void> {
    // The payload's @id is the header's ids:issuerConnector (the broker keys the entry by it).
    const description = await this.selfDescription.describe();
    const { response } = await this.send('ids:ConnectorUpdateMessage', { 'ids:affectedConnector': ref(this.config.connector.id) }, description);
    if (response.message.type !== 'ids:MessageProcessedNotificationMessage') {
      const error = `expected an ids:MessageProcessedNotificationMessage, got ${response.message.type}`;
      this.state.lastError = error;
      throw new ConnectorError('REMOTE_ERROR', error);
    }
    this.state.registered = true;
    const location = literal(response.header['Location']) ?? literal(response.header['ids:location']);
    if (location !== undefined) this.state.location = location;
  }

  private async send(type: string, fields: Record<string, JsonLdValue>, payload?: JsonLd | string, timeoutMs?: number, contentType = 'application/ld+json'): Promise<{ response: IdsResponse; text: string }> {
    const url = this.config.services.brokerUrl!;
    this.state.lastAttempt = this.clock.now().toISOString();
    try {
      const header = this.builder.newMessage(type, '', { ...fields, 'ids:recipientConnector': [ref(url)] });
      const data = payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
      const response = await this.client.send({ url, header, ...(data === undefined ? {} : { payload: { data, contentType } }), ...(timeoutMs ? { timeoutMs } : {}) });
      const text = (await readPayload(response.payload, REPLY_LIMIT))?.toString('utf8') ?? '';
      await response.done;
      this.state.lastSuccess = this.clock.now().toISOString();
      this.state.lastError = null;
      this.state.lastReply = response.header;
      return { response, text };
    } catch (error) {
      this.state.lastError = error instanceof Error ? error.message : String(error);
      if (this.state.desired === 'registered') this.logger.warn(`broker ${type} failed: ${this.state.lastError}`);
      throw error;
    }
  }
}
