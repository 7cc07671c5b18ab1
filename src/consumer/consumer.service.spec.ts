import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import type { EntityManager } from 'typeorm';
import { recorder, strictFake } from '../../test/support/strict-fake.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import type { NewRecord } from '../clearing-house/clearing-house.records.js';
import { EvidenceUnit, type Evidence } from '../clearing-house/evidence.unit.js';
import { Clock, FixedClock } from '../common/clock.js';
import { TransferProgress } from './transfer.progress.js';
import { BlobStore } from '../database/blob.store.js';
import { connectorSettings } from '../ids/connector.settings.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { MessageBuilder } from '../ids/messages/message.builder.js';
import type { IdsMessage } from '../ids/messages/message.types.js';
import { IdsClient, type IdsRequest, type IdsResponse } from '../ids/outbound/ids.client.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import { UsageRepository } from '../usage/usage.repository.js';
import { consumerSettings } from './consumer.settings.js';
import { ConsumerRepository } from './consumer.repository.js';
import { ConsumerService } from './consumer.service.js';
import type { ConsumerAgreementEntity } from './entities/consumer-agreement.entity.js';
import type { ReceivedArtifactEntity } from './entities/received-artifact.entity.js';

const ME = 'https://consumer.example/';
const PROVIDER = 'https://provider.example/data';
const permission = { '@id': 'urn:perm:1', 'ids:action': [{ '@id': 'idsc:USE' }], 'ids:target': { '@id': 'urn:artifact:1' } };
const dirs: string[] = [];

/** A provider's reply as IdsClient hands it on: a parsed message and its payload stream. */
function reply(type: string, payload: string | Buffer): IdsResponse {
  const message: IdsMessage = {
    id: 'urn:reply',
    type,
    modelVersion: '4.2.7',
    issued: '2026-06-01T12:00:00Z',
    issuerConnector: 'https://provider.example/',
    senderAgent: 'https://provider.example/',
    recipientConnector: [],
    recipientAgent: [],
    header: { '@type': type },
  };
  return {
    message,
    header: message.header,
    payload: Readable.from([Buffer.from(payload)]),
    transport: 'form',
    status: 200,
    done: Promise.resolve(),
  };
}

async function consumerWith(answer: (request: IdsRequest) => IdsResponse, receiveMaxBytes = 1 << 20) {
  const dir = mkdtempSync(join(tmpdir(), 'fep-consumer-spec-'));
  dirs.push(dir);
  const agreements: ConsumerAgreementEntity[] = [];
  const artifacts: ReceivedArtifactEntity[] = [];
  const records: NewRecord[] = [];
  const send = recorder((request: IdsRequest) => Promise.resolve(answer(request)));
  const repository = strictFake<ConsumerRepository>('ConsumerRepository', {
    findAgreement: (iri: string) => Promise.resolve(agreements.find((a) => a.iri === iri) ?? null),
    using: () =>
      strictFake<ConsumerRepository>('ConsumerRepository(tx)', {
        saveAgreement: (a: ConsumerAgreementEntity) => Promise.resolve(agreements.push(a) ? a : a),
        saveArtifact: (a: ReceivedArtifactEntity) => Promise.resolve(artifacts.push(a) ? a : a),
      }),
  });
  const clock = new FixedClock(new Date('2026-06-01T12:00:00Z'));
  const moduleRef = await Test.createTestingModule({
    providers: [
      ConsumerService,
      { provide: IdsClient, useValue: strictFake<IdsClient>('IdsClient', { send }) },
      { provide: ConsumerRepository, useValue: repository },
      { provide: BlobStore, useValue: new BlobStore(dir) },
      { provide: MessageBuilder, useValue: new MessageBuilder(ME, clock) },
      {
        provide: UsageEnforcer,
        useValue: strictFake<UsageEnforcer>('UsageEnforcer', { problems: () => [], deletionDeadline: () => undefined }),
      },
      {
        provide: UsageRepository,
        useValue: strictFake<UsageRepository>('UsageRepository', { findAgreement: () => Promise.resolve(null) }),
      },
      { provide: ClearingHouseOutbox, useValue: strictFake<ClearingHouseOutbox>('ClearingHouseOutbox', { ownSubject: 'ME:SUB' }) },
      {
        provide: EvidenceUnit,
        useValue: strictFake<EvidenceUnit>('EvidenceUnit', {
          run: <R>(action: (e: Evidence) => Promise<R>) =>
            action({
              manager: {} as EntityManager,
              rows: { append: () => assert.fail('no rows expected') },
              record: (r) => Promise.resolve(void records.push(...r)),
            }),
        }),
      },
      { provide: Clock, useValue: clock },
      { provide: TransferProgress, useValue: new TransferProgress(clock) },
      { provide: connectorSettings.token, useValue: { id: ME } },
      { provide: consumerSettings.token, useValue: { receiveMaxBytes, deletionSweepMs: 60_000 } },
    ],
  }).compile();
  return { consumer: moduleRef.get(ConsumerService), agreements, artifacts, records, send, dir };
}

const agreementOf = (request: IdsRequest, changes: JsonLd = {}): string =>
  JSON.stringify({
    ...(JSON.parse(request.payload!.data as string) as JsonLd),
    '@type': 'ids:ContractAgreement',
    '@id': 'urn:agreement:1',
    'ids:consumer': { '@id': ME },
    ...changes,
  });

describe('ConsumerService (unit, strict fakes)', () => {
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps an agreement that is its request, with the clearing-house process and the reply that brought it', async () => {
    const { consumer, agreements, records } = await consumerWith((r) => reply('ids:ContractAgreementMessage', agreementOf(r)));
    await consumer.requestContract(PROVIDER, { '@type': 'ids:ContractRequest', 'ids:permission': [permission] });
    assert.deepEqual(
      agreements.map((a) => a.iri),
      ['urn:agreement:1'],
    );
    assert.deepEqual(
      records.map((r) => r.kind),
      ['process', 'log'],
    );
  });

  it('keeps nothing when the provider agreed to something else than was asked', async () => {
    const widened = (r: IdsRequest): IdsResponse =>
      reply(
        'ids:ContractAgreementMessage',
        agreementOf(r, { 'ids:permission': [{ ...permission, 'ids:target': { '@id': 'urn:artifact:OTHER' } }] }),
      );
    const other = (r: IdsRequest): IdsResponse =>
      reply('ids:ContractAgreementMessage', agreementOf(r, { 'ids:consumer': { '@id': 'https://someone-else.example/' } }));
    for (const [provider, reason] of [
      [widened, /ids:target urn:artifact:OTHER differs/],
      [other, /ids:consumer is https:\/\/someone-else\.example\/, not this connector/],
    ] as const) {
      const { consumer, agreements, records } = await consumerWith(provider);
      await assert.rejects(consumer.requestContract(PROVIDER, { '@type': 'ids:ContractRequest', 'ids:permission': [permission] }), reason);
      assert.equal(agreements.length, 0);
      assert.equal(records.length, 0);
    }
  });

  it('stores fetched bytes with their SHA-256, and records the transfer with them', async () => {
    const { consumer, artifacts, records, send } = await consumerWith(() => reply('ids:ArtifactResponseMessage', '{"zone":"B"}'));
    const received = await consumer.fetch(PROVIDER, 'urn:artifact:1', 'urn:agreement:1');
    assert.equal(received.byteSize, 12);
    assert.equal(artifacts.length, 1);
    assert.equal((records[0].body as { payloadSha256: string }).payloadSha256, received.checksum);
    assert.deepEqual(send.calls[0][0].header['ids:transferContract'], { '@id': 'urn:agreement:1' });
  });

  it('refuses an artifact over FEP_RECEIVE_MAX_BYTES and keeps nothing of it, not even a partial file', async () => {
    const { consumer, artifacts, dir } = await consumerWith(() => reply('ids:ArtifactResponseMessage', Buffer.alloc(4096)), 1024);
    await assert.rejects(
      consumer.fetch(PROVIDER, 'urn:artifact:1', 'urn:agreement:1'),
      /sent more than FEP_RECEIVE_MAX_BYTES \(1024 bytes\)/,
    );
    assert.equal(artifacts.length, 0);
    assert.deepEqual(readdirSync(dir), []);
  });
});
