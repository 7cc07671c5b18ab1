import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { Clock } from '../common/clock.js';
import { ConnectorError } from '../common/connector.error.js';
import { targetsOf } from '../contracts/contract.matcher.js';
import { checkContractShape } from '../contracts/contract.shape.js';
import { IdsClient, type IdsResponse } from '../ids/outbound/ids.client.js';
import { asText, isObject, reference } from '../ids/infomodel/jsonld.reader.js';
import { ref, type JsonLd, type JsonLdValue } from '../ids/infomodel/jsonld.writer.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import type { Transport } from '../ids/transport/ids-transport.codec.js';
import type { OutboundPayload } from '../ids/transport/multipart.writer.js';
import { BlobStore } from '../resources/blob.store.js';
import { ConsumerRepository } from './consumer.repository.js';
import type { ConsumerAgreementEntity } from './entities/consumer-agreement.entity.js';
import type { ReceivedArtifactEntity } from './entities/received-artifact.entity.js';

const JSON_LIMIT = 16 * 1024 * 1024;

async function readJson(response: IdsResponse, what: string): Promise<JsonLd> {
  if (response.payload === null) throw new ConnectorError('REMOTE_ERROR', `the ${response.message.type} carries no ${what}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.payload) {
    size += (chunk as Buffer).length;
    if (size > JSON_LIMIT) throw new ConnectorError('REMOTE_ERROR', `the ${what} is larger than ${JSON_LIMIT} bytes`);
    chunks.push(chunk as Buffer);
  }
  await response.done;
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (!isObject(value)) throw new Error('not an object');
    return value;
  } catch (error) {
    throw new ConnectorError('REMOTE_ERROR', `the ${what} is not JSON-LD: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The consumer side: describe remote connectors, negotiate, fetch artifacts under agreements, keep both. */
@Injectable()
export class ConsumerService {
  constructor(
    private readonly client: IdsClient,
    private readonly repository: ConsumerRepository,
    private readonly blobs: BlobStore,
    private readonly builder: MessageBuilder,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** Any message to a remote connector; the client puts our token in. */
  exchange(url: string, type: string, fields: Record<string, JsonLdValue | undefined>, payload?: OutboundPayload, transport?: Transport): Promise<IdsResponse> {
    const header = this.builder.newMessage(type, '', fields);
    return this.client.send({ url, header, ...(payload ? { payload } : {}), ...(transport ? { transport } : {}) });
  }

  async describe(url: string, element?: string, transport?: Transport): Promise<JsonLd> {
    const response = await this.exchange(url, 'ids:DescriptionRequestMessage', { 'ids:requestedElement': element === undefined ? undefined : ref(element) }, undefined, transport);
    return readJson(response, 'description');
  }

  /** Sends an ids:ContractRequest; an agreement that comes back is kept. */
  async requestContract(url: string, request: JsonLd, transport?: Transport): Promise<{ agreement: JsonLd; response: IdsResponse }> {
    const problems = checkContractShape(request);
    if (problems.length > 0) throw ConnectorError.badInput('contractRequest', problems.join('; '));
    const response = await this.exchange(url, 'ids:ContractRequestMessage', { 'ids:recipientConnector': [ref(url)] }, { data: JSON.stringify(request), contentType: 'application/ld+json' }, transport);
    if (response.message.type !== 'ids:ContractAgreementMessage') throw new ConnectorError('REMOTE_ERROR', `expected an ids:ContractAgreementMessage, got ${response.message.type}`);
    const agreement = await readJson(response, 'contract agreement');
    await this.keepAgreement(url, agreement);
    return { agreement, response };
  }

  /** Confirms an agreement to the provider (ids:ContractAgreementMessage). */
  async confirm(url: string, agreement: JsonLd, transport?: Transport): Promise<IdsResponse> {
    const id = typeof agreement['@id'] === 'string' ? agreement['@id'] : undefined;
    return this.exchange(url, 'ids:ContractAgreementMessage', { 'ids:correlationMessage': id === undefined ? undefined : ref(id) }, { data: JSON.stringify(agreement), contentType: 'application/ld+json' }, transport);
  }

  /** Turns an offer (as found in a description) into a request for exactly that offer, then negotiates and confirms. */
  async negotiate(url: string, offerOrRequest: JsonLd, transport?: Transport): Promise<ConsumerAgreementEntity> {
    const request: JsonLd = { ...offerOrRequest, '@type': 'ids:ContractRequest' };
    const { agreement } = await this.requestContract(url, request, transport);
    await this.confirm(url, agreement, transport);
    return (await this.repository.findAgreement(asText(agreement['@id'])))!;
  }

  async keepAgreement(url: string, agreement: JsonLd): Promise<void> {
    const iri = agreement['@id'];
    if (typeof iri !== 'string') throw new ConnectorError('REMOTE_ERROR', 'the contract agreement has no @id');
    if ((await this.repository.findAgreement(iri)) !== null) return;
    await this.repository.saveAgreement({
      id: randomUUID(),
      iri,
      providerUrl: url,
      provider: reference(agreement['ids:provider']) ?? null,
      targets: targetsOf(agreement),
      document: agreement,
      created: this.clock.now().toISOString(),
    });
  }

  /** Requests an artifact under an agreement and streams it to disk; it is kept with the agreement. */
  async fetch(url: string, artifact: string, transferContract: string | undefined, payload?: OutboundPayload, transport?: Transport): Promise<ReceivedArtifactEntity> {
    const response = await this.exchange(
      url,
      'ids:ArtifactRequestMessage',
      { 'ids:requestedArtifact': ref(artifact), 'ids:transferContract': transferContract === undefined ? undefined : ref(transferContract) },
      payload,
      transport,
    );
    if (response.message.type !== 'ids:ArtifactResponseMessage') throw new ConnectorError('REMOTE_ERROR', `expected an ids:ArtifactResponseMessage, got ${response.message.type}`);
    const stored = await this.blobs.write(response.payload ?? Readable.from([]), Number.MAX_SAFE_INTEGER);
    await response.done;
    return this.repository.saveArtifact({
      id: randomUUID(),
      artifactIri: artifact,
      agreementIri: transferContract ?? null,
      providerUrl: url,
      path: stored.path,
      byteSize: stored.size,
      checksum: stored.sha256,
      mediaType: response.payloadContentType ?? null,
      received: this.clock.now().toISOString(),
    });
  }

  async receivedArtifact(id: string): Promise<{ artifact: ReceivedArtifactEntity; stream: Readable }> {
    const artifact = await this.repository.findArtifact(id);
    if (artifact === null) throw ConnectorError.notFound('received artifact', id);
    return { artifact, stream: this.blobs.open(artifact.path) };
  }

  listAgreements(page: number, size: number): Promise<[ConsumerAgreementEntity[], number]> {
    return this.repository.listAgreements(page, size);
  }

  listArtifacts(page: number, size: number): Promise<[ReceivedArtifactEntity[], number]> {
    return this.repository.listArtifacts(page, size);
  }
}
