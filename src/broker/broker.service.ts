import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { brokerSettings, type BrokerSettings } from './broker.settings.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { Scheduler, type Job } from '../runtime/scheduler.service.js';
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
 * Metadata Broker registration (IDS-G multipart README section 4.1; metadata-broker-open-core RegistrationHandler.java): `ids:ConnectorUpdateMessage` with the
 * self-description on start and after catalog changes, `ids:ConnectorUnavailableMessage` on shutdown or when
 * asked, resource messages and SPARQL queries on demand. The background sync retries with backoff and never
 * blocks start-up or the admin API; calls made by an operator report their outcome directly.
 */
@Injectable()
export class BrokerService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Broker');
  private readonly state: RegistrationStatus;
  private dirty = false;
  private stopped = false;
  private job: Job | undefined;

  constructor(
    private readonly client: IdsClient,
    private readonly builder: MessageBuilder,
    private readonly selfDescription: SelfDescriptionService,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(brokerSettings.token) private readonly broker: BrokerSettings,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
    private readonly scheduler: Scheduler,
  ) {
    this.state = {
      brokerUrl: this.broker.url ?? null,
      desired: 'registered',
      registered: false,
      location: null,
      lastAttempt: null,
      lastSuccess: null,
      lastError: null,
      lastReply: null,
    };
  }

  get enabled(): boolean {
    return this.broker.url !== undefined;
  }

  onModuleInit(): void {
    if (!this.enabled) return;
    this.dirty = true;
    // Registration runs in the background: failures back off (FEP_SERVICE_*) and never block start-up.
    this.job = this.scheduler.schedule({ name: 'Broker', run: () => this.sync() });
  }

  /** Graceful shutdown: tell the broker we are gone (once, bounded), then stop retrying. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.job?.stop();
    if (!this.enabled || !this.state.registered) return;
    await this.send('ids:ConnectorUnavailableMessage', { 'ids:affectedConnector': ref(this.connector.id) }, undefined, 5000).catch(
      (error: unknown) =>
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
    this.job?.soon(200);
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
    await this.send('ids:ConnectorUnavailableMessage', { 'ids:affectedConnector': ref(this.connector.id) });
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
    const { text, response } = await this.send(
      'ids:QueryMessage',
      { 'ids:queryLanguage': ref('idsc:SPARQL'), 'ids:queryScope': ref('idsc:ALL'), 'ids:recipientScope': ref('idsc:ANY') },
      sparql,
      undefined,
      'application/sparql-query',
    );
    return { text, contentType: response.payloadContentType ?? 'text/plain' };
  }

  private requireBroker(): void {
    if (!this.enabled) throw new ConnectorError('CONFLICT', 'no broker is configured (FEP_BROKER_URL)');
  }

  /** One pass: push the self-description if something changed; a failure keeps it due (the job backs off). */
  private async sync(): Promise<void> {
    if (!this.dirty || this.stopped || this.state.desired !== 'registered') return;
    this.dirty = false;
    try {
      await this.pushSelfDescription();
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  private async pushSelfDescription(): Promise<void> {
    // The payload's @id is the header's ids:issuerConnector (the broker keys the entry by it).
    const description = await this.selfDescription.describe();
    const { response } = await this.send('ids:ConnectorUpdateMessage', { 'ids:affectedConnector': ref(this.connector.id) }, description);
    if (response.message.type !== 'ids:MessageProcessedNotificationMessage') {
      const error = `expected an ids:MessageProcessedNotificationMessage, got ${response.message.type}`;
      this.state.lastError = error;
      throw new ConnectorError('REMOTE_ERROR', error);
    }
    this.state.registered = true;
    const location = literal(response.header['Location']) ?? literal(response.header['ids:location']);
    if (location !== undefined) this.state.location = location;
  }

  private async send(
    type: string,
    fields: Record<string, JsonLdValue>,
    payload?: JsonLd | string,
    timeoutMs?: number,
    contentType = 'application/ld+json',
  ): Promise<{ response: IdsResponse; text: string }> {
    const url = this.broker.url!;
    this.state.lastAttempt = this.clock.now().toISOString();
    try {
      const header = this.builder.newMessage(type, '', { ...fields, 'ids:recipientConnector': [ref(url)] });
      const data = payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
      const response = await this.client.send({
        url,
        header,
        ...(data === undefined ? {} : { payload: { data, contentType } }),
        ...(timeoutMs ? { timeoutMs } : {}),
      });
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
