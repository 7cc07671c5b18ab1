import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Readable } from 'node:stream';
import { Clock } from '../common/clock.js';
import { connectorSettings, type ConnectorSettings } from '../ids/connector.settings.js';
import { consumerSettings, type ConsumerSettings } from './consumer.settings.js';
import { ConnectorError } from '../common/connector.error.js';
import { parseJson } from '../common/json.js';
import { matchRequest, targetsOf } from '../contracts/contract.matcher.js';
import { checkContractShape } from '../ids/infomodel/contract.shape.js';
import { IdsClient, type IdsResponse } from '../ids/outbound/ids.client.js';
import { asText, isObject, reference } from '../ids/infomodel/jsonld.reader.js';
import { ref, type JsonLd, type JsonLdValue } from '../ids/infomodel/jsonld.writer.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import type { Transport } from '../ids/transport/ids-transport.codec.js';
import type { OutboundPayload } from '../ids/transport/multipart.writer.js';
import { BlobStore } from '../database/blob.store.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import { UsageRepository } from '../usage/usage.repository.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import { EvidenceUnit } from '../clearing-house/evidence.unit.js';
import { logRecord, processRecord, sha256Hex, type LoggedMessage } from '../clearing-house/clearing-house.records.js';
import { TransferProgress } from './transfer.progress.js';
import { ConsumerRepository } from './consumer.repository.js';
import type { ConsumerAgreementEntity } from './entities/consumer-agreement.entity.js';
import type { ReceivedArtifactEntity } from './entities/received-artifact.entity.js';

const JSON_LIMIT = 16 * 1024 * 1024;

async function readJson(response: IdsResponse, what: string): Promise<JsonLd> {
  return (await readJsonRaw(response, what)).value;
}

async function readJsonRaw(response: IdsResponse, what: string): Promise<{ value: JsonLd; raw: Buffer }> {
  if (response.payload === null) throw new ConnectorError('REMOTE_ERROR', `the ${response.message.type} carries no ${what}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.payload) {
    size += (chunk as Buffer).length;
    if (size > JSON_LIMIT) throw new ConnectorError('REMOTE_ERROR', `the ${what} is larger than ${JSON_LIMIT} bytes`);
    chunks.push(chunk as Buffer);
  }
  await response.done;
  const raw = Buffer.concat(chunks);
  let value: unknown;
  try {
    value = parseJson(raw, `the ${what}`);
  } catch (error) {
    throw new ConnectorError(
      'REMOTE_ERROR',
      `the remote connector sent a bad ${what}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!isObject(value)) throw new ConnectorError('REMOTE_ERROR', `the ${what} is not a JSON-LD object`);
  return { value, raw };
}

/** The consumer side: describe remote connectors, negotiate, fetch artifacts under agreements, keep both. */
@Injectable()
export class ConsumerService {
  private readonly logger = new Logger('Consumer');

  constructor(
    private readonly client: IdsClient,
    private readonly repository: ConsumerRepository,
    private readonly blobs: BlobStore,
    private readonly builder: MessageBuilder,
    private readonly usage: UsageEnforcer,
    private readonly usageAgreements: UsageRepository,
    private readonly outbox: ClearingHouseOutbox,
    private readonly evidence: EvidenceUnit,
    private readonly transfers: TransferProgress,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(connectorSettings.token) private readonly connector: ConnectorSettings,
    @Inject(consumerSettings.token) private readonly consumer: ConsumerSettings,
  ) {}

  /** Any message to a remote connector; the client puts our token in. */
  exchange(
    url: string,
    type: string,
    fields: Record<string, JsonLdValue | undefined>,
    payload?: OutboundPayload,
    transport?: Transport,
  ): Promise<IdsResponse> {
    const header = this.builder.newMessage(type, '', fields);
    return this.client.send({ url, header, ...(payload ? { payload } : {}), ...(transport ? { transport } : {}) });
  }

  async describe(url: string, element?: string, transport?: Transport): Promise<JsonLd> {
    const response = await this.exchange(
      url,
      'ids:DescriptionRequestMessage',
      { 'ids:requestedElement': element === undefined ? undefined : ref(element) },
      undefined,
      transport,
    );
    return readJson(response, 'description');
  }

  /**
   * Sends an ids:ContractRequest; an agreement that comes back is kept. A consumer accepts only what it can
   * enforce: an unenforceable request is not sent, an unenforceable agreement is not kept.
   */
  async requestContract(url: string, request: JsonLd, transport?: Transport): Promise<{ agreement: JsonLd; response: IdsResponse }> {
    const problems = checkContractShape(request);
    if (problems.length > 0) throw ConnectorError.badInput('contractRequest', problems.join('; '));
    const unenforceable = this.usage.problems(request);
    if (unenforceable.length > 0) {
      throw ConnectorError.badInput(
        'contractRequest',
        `this connector cannot enforce the policy, so it does not accept it: ${unenforceable.join('; ')}`,
      );
    }
    const response = await this.exchange(
      url,
      'ids:ContractRequestMessage',
      { 'ids:recipientConnector': [ref(url)] },
      { data: JSON.stringify(request), contentType: 'application/ld+json' },
      transport,
    );
    if (response.message.type !== 'ids:ContractAgreementMessage') {
      throw new ConnectorError('REMOTE_ERROR', `expected an ids:ContractAgreementMessage, got ${response.message.type}`);
    }
    const { value: agreement, raw } = await readJsonRaw(response, 'contract agreement');
    // The provider may only agree to what was asked, or something narrower: never wider rules, other targets, or
    // duties this connector would then carry out (a NOTIFY duty is a request the consumer makes on every read).
    const drift = matchRequest(request, agreement, { matchBy: 'id-or-content' });
    const consumer = reference(agreement['ids:consumer'] ?? agreement['consumer']);
    if (consumer !== undefined && consumer !== this.connector.id) {
      drift.push(`ids:consumer is ${consumer}, not this connector (${this.connector.id})`);
    }
    if (drift.length > 0) {
      throw new ConnectorError(
        'REMOTE_ERROR',
        `the provider's agreement is not the request or a narrowing of it, so it is not accepted: ${drift.join('; ')}`,
      );
    }
    const agreedProblems = this.usage.problems(agreement);
    if (agreedProblems.length > 0) {
      throw new ConnectorError(
        'REMOTE_ERROR',
        `the provider's agreement cannot be enforced here, so it is not accepted: ${agreedProblems.join('; ')}`,
      );
    }
    await this.keepAgreement(url, agreement, { message: response.header, payloadSha256: sha256Hex(raw) }, response.token?.subject);
    return { agreement, response };
  }

  /** Confirms an agreement to the provider (ids:ContractAgreementMessage). */
  async confirm(url: string, agreement: JsonLd, transport?: Transport): Promise<IdsResponse> {
    const id = typeof agreement['@id'] === 'string' ? agreement['@id'] : undefined;
    return this.exchange(
      url,
      'ids:ContractAgreementMessage',
      { 'ids:correlationMessage': id === undefined ? undefined : ref(id) },
      { data: JSON.stringify(agreement), contentType: 'application/ld+json' },
      transport,
    );
  }

  /** Turns an offer (as found in a description) into a request for exactly that offer, then negotiates and confirms. */
  async negotiate(url: string, offerOrRequest: JsonLd, transport?: Transport): Promise<ConsumerAgreementEntity> {
    const request: JsonLd = { ...offerOrRequest, '@type': 'ids:ContractRequest' };
    const { agreement } = await this.requestContract(url, request, transport);
    await this.confirm(url, agreement, transport);
    return (await this.repository.findAgreement(asText(agreement['@id'])))!;
  }

  /** Keeps an agreement; with the reply that brought it, its clearing-house records commit with it. */
  async keepAgreement(url: string, agreement: JsonLd, logged?: LoggedMessage, providerSubject?: string): Promise<void> {
    const iri = agreement['@id'];
    if (typeof iri !== 'string') throw new ConnectorError('REMOTE_ERROR', 'the contract agreement has no @id');
    if ((await this.repository.findAgreement(iri)) !== null) return;
    await this.evidence.run(async ({ manager, record }) => {
      await this.repository.using(manager).saveAgreement(this.agreementEntity(url, iri, agreement));
      if (logged) await record([processRecord(iri, [providerSubject, this.outbox.ownSubject]), logRecord(iri, logged)]);
    });
  }

  private agreementEntity(url: string, iri: string, agreement: JsonLd): ConsumerAgreementEntity {
    return {
      id: randomUUID(),
      iri,
      providerUrl: url,
      provider: reference(agreement['ids:provider']) ?? null,
      targets: targetsOf(agreement),
      document: agreement,
      created: this.clock.now().toISOString(),
    };
  }

  /** Requests an artifact under an agreement and streams it to disk; it is kept with the agreement. */
  async fetch(
    url: string,
    artifact: string,
    transferContract: string | undefined,
    payload?: OutboundPayload,
    transport?: Transport,
  ): Promise<ReceivedArtifactEntity> {
    const response = await this.exchange(
      url,
      'ids:ArtifactRequestMessage',
      {
        'ids:requestedArtifact': ref(artifact),
        'ids:transferContract': transferContract === undefined ? undefined : ref(transferContract),
      },
      payload,
      transport,
    );
    if (response.message.type !== 'ids:ArtifactResponseMessage') {
      throw new ConnectorError('REMOTE_ERROR', `expected an ids:ArtifactResponseMessage, got ${response.message.type}`);
    }
    const limit = this.consumer.receiveMaxBytes;
    // Counted as it streams: GET /api/consumer/transfers and the live page show the bytes so far.
    const incoming = this.transfers.track(url, artifact, response.payload ?? Readable.from([]), null);
    const stored = await this.blobs.write(incoming, limit, 'FEP_RECEIVE_MAX_BYTES').catch((error: unknown) => {
      response.payload?.destroy();
      if (error instanceof ConnectorError && error.code === 'PAYLOAD_TOO_LARGE') {
        throw new ConnectorError(
          'REMOTE_ERROR',
          `${url} sent more than FEP_RECEIVE_MAX_BYTES (${limit} bytes) for ${artifact}; nothing of it was kept`,
        );
      }
      throw error;
    });
    await response.done;
    const received = this.clock.now();
    const agreement = transferContract === undefined ? null : await this.agreementFor(transferContract);
    const deleteAt =
      agreement === null
        ? undefined
        : this.usage.deletionDeadline({
            side: 'consumer',
            agreementIri: agreement.iri,
            document: agreement.document,
            stored: agreement.created,
            target: artifact,
            received,
          });
    const entity: ReceivedArtifactEntity = {
      id: randomUUID(),
      artifactIri: artifact,
      agreementIri: transferContract ?? null,
      providerUrl: url,
      path: stored.path,
      byteSize: stored.size,
      checksum: stored.sha256,
      mediaType: response.payloadContentType ?? null,
      received: received.toISOString(),
      deleteAt: deleteAt?.toISOString() ?? null,
    };
    // The received bytes' record and the transfer's clearing-house record commit together.
    return this.evidence.run(async ({ manager, record }) => {
      const row = await this.repository.using(manager).saveArtifact(entity);
      if (transferContract !== undefined) {
        await record([logRecord(transferContract, { message: response.header, payloadSha256: stored.sha256 })]);
      }
      return row;
    });
  }

  /**
   * Data a provider pushed under one of our agreements (a subscription with pushData): checked (the agreement is
   * ours, made with that provider, and covers the artifact), then kept like fetched data, with the transfer's
   * clearing-house record and whatever `within` writes (the notification) in the same transaction.
   */
  async keepPushed(
    pushed: {
      provider: string;
      providerUrl: string;
      artifact: string;
      agreementIri: string;
      data: Buffer;
      mediaType: string | null;
      header: JsonLd;
    },
    within: (manager: EntityManager, artifact: ReceivedArtifactEntity) => Promise<void>,
  ): Promise<ReceivedArtifactEntity> {
    const agreement = await this.repository.findAgreement(pushed.agreementIri);
    if (agreement === null) throw new ConnectorError('NOT_AUTHORIZED', `no contract agreement ${pushed.agreementIri} of this connector`);
    if (agreement.provider !== null && agreement.provider !== pushed.provider) {
      throw new ConnectorError('NOT_AUTHORIZED', `agreement ${agreement.iri} was made with ${agreement.provider}, not ${pushed.provider}`);
    }
    if (!agreement.targets.includes(pushed.artifact)) {
      throw new ConnectorError('NOT_AUTHORIZED', `agreement ${agreement.iri} does not cover ${pushed.artifact}`);
    }
    if (pushed.data.length > this.consumer.receiveMaxBytes) {
      throw new ConnectorError(
        'PAYLOAD_TOO_LARGE',
        `the pushed data is larger than FEP_RECEIVE_MAX_BYTES (${this.consumer.receiveMaxBytes} bytes)`,
      );
    }
    const stored = await this.blobs.write(Readable.from([pushed.data]), this.consumer.receiveMaxBytes, 'FEP_RECEIVE_MAX_BYTES');
    const received = this.clock.now();
    const deleteAt = this.usage.deletionDeadline({
      side: 'consumer',
      agreementIri: agreement.iri,
      document: agreement.document,
      stored: agreement.created,
      target: pushed.artifact,
      received,
    });
    const entity: ReceivedArtifactEntity = {
      id: randomUUID(),
      artifactIri: pushed.artifact,
      agreementIri: agreement.iri,
      providerUrl: pushed.providerUrl,
      path: stored.path,
      byteSize: stored.size,
      checksum: stored.sha256,
      mediaType: pushed.mediaType,
      received: received.toISOString(),
      deleteAt: deleteAt?.toISOString() ?? null,
    };
    try {
      return await this.evidence.run(async ({ manager, record }) => {
        const row = await this.repository.using(manager).saveArtifact(entity);
        await record([logRecord(agreement.iri, { message: pushed.header, payloadSha256: stored.sha256 })]);
        await within(manager, row);
        return row;
      });
    } catch (error) {
      await this.blobs.remove(stored.path).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Reads received data: a use, so the agreement it came under is enforced here too (consumer side), and data
   * past its deletion deadline is deleted instead of read.
   */
  async receivedArtifact(id: string): Promise<{ artifact: ReceivedArtifactEntity; stream: Readable }> {
    const artifact = await this.repository.findArtifact(id);
    if (artifact === null) throw ConnectorError.notFound('received artifact', id);
    if (artifact.deleteAt !== null && this.clock.now() >= new Date(artifact.deleteAt)) {
      await this.deleteReceived(artifact);
      throw new ConnectorError(
        'NOT_FOUND',
        `received artifact ${id} was deleted at ${artifact.deleteAt} as its usage policy requires (USAGE_UNTIL_DELETION)`,
      );
    }
    const agreement = artifact.agreementIri === null ? null : await this.agreementFor(artifact.agreementIri);
    if (agreement === null) {
      throw new ConnectorError(
        'NOT_AUTHORIZED',
        `usage denied: no agreement of this connector covers received artifact ${id} (deny by default)`,
      );
    }
    await this.usage.authorize({
      side: 'consumer',
      agreementIri: agreement.iri,
      document: agreement.document,
      stored: agreement.created,
      target: artifact.artifactIri,
      received: new Date(artifact.received),
      consume: true,
    });
    return { artifact, stream: this.blobs.open(artifact.path) };
  }

  /** A negotiated agreement, else one stored through TRUE's usage-control API (as TRUE's consumer keeps them). */
  private async agreementFor(iri: string): Promise<{ iri: string; document: JsonLd; created: string } | null> {
    return (await this.repository.findAgreement(iri)) ?? (await this.usageAgreements.findAgreement(iri));
  }

  /** Deletes received data whose USAGE_UNTIL_DELETION deadline has passed: the bytes on disk and the record. */
  async deleteExpired(): Promise<number> {
    const expired = await this.repository.findExpired(this.clock.now().toISOString());
    for (const artifact of expired) await this.deleteReceived(artifact);
    return expired.length;
  }

  private async deleteReceived(artifact: ReceivedArtifactEntity): Promise<void> {
    await this.blobs.remove(artifact.path);
    await this.repository.deleteArtifact(artifact.id);
    this.logger.log(`deleted received artifact ${artifact.id} (${artifact.artifactIri}) at its deadline ${artifact.deleteAt ?? ''}`);
  }

  /** The newest agreements first (the live page). */
  latestAgreements(count: number): Promise<ConsumerAgreementEntity[]> {
    return this.repository.latestAgreements(count);
  }

  listAgreements(page: number, size: number): Promise<[ConsumerAgreementEntity[], number]> {
    return this.repository.listAgreements(page, size);
  }

  listArtifacts(page: number, size: number): Promise<[ReceivedArtifactEntity[], number]> {
    return this.repository.listArtifacts(page, size);
  }
}
