import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Test } from '@nestjs/testing';
import type { EntityManager } from 'typeorm';
import { strictFake } from '../../test/support/strict-fake.js';
import { ClearingHouseOutbox } from '../clearing-house/clearing-house.outbox.js';
import type { NewRecord } from '../clearing-house/clearing-house.records.js';
import { EvidenceUnit, type Evidence } from '../clearing-house/evidence.unit.js';
import { Clock, FixedClock } from '../common/clock.js';
import { connectorSettings } from '../ids/connector.settings.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { CatalogRepository, type Store } from '../resources/catalog.repository.js';
import type { ArtifactEntity } from '../resources/entities/artifact.entity.js';
import type { ContractOfferEntity } from '../resources/entities/contract-offer.entity.js';
import type { RepresentationEntity } from '../resources/entities/representation.entity.js';
import { UsageEnforcer } from '../usage/usage.enforcer.js';
import { AgreementRepository } from './agreement.repository.js';
import type { AgreementEntity } from './entities/agreement.entity.js';
import { NegotiationService } from './negotiation.service.js';

const ARTIFACT = 'https://provider.example/artifact/1';
const permission = {
  '@id': 'urn:perm:1',
  '@type': 'ids:Permission',
  'ids:action': [{ '@id': 'idsc:USE' }],
  'ids:target': { '@id': ARTIFACT },
};
const offer: ContractOfferEntity = {
  id: 'o1',
  iri: 'urn:offer:1',
  resourceId: 'r1',
  document: { '@type': 'ids:ContractOffer', '@id': 'urn:offer:1', 'ids:permission': [permission] },
  created: '',
  modified: '',
};

async function negotiationWith(unenforceable: string[] = []) {
  const saved: AgreementEntity[] = [];
  const records: NewRecord[] = [];
  const catalog = strictFake<CatalogRepository>('CatalogRepository', {
    offers: strictFake<Store<ContractOfferEntity>>('offers', {
      findByIri: (iri: string) => Promise.resolve(iri === offer.iri ? offer : null),
      findBy: () => Promise.resolve([offer]),
    }),
    artifacts: strictFake<Store<ArtifactEntity>>('artifacts', {
      findByIri: (iri: string) => Promise.resolve(iri === ARTIFACT ? ({ representationId: 'p1' } as ArtifactEntity) : null),
    }),
    representations: strictFake<Store<RepresentationEntity>>('representations', {
      findById: () => Promise.resolve({ resourceId: 'r1' } as RepresentationEntity),
    }),
  });
  const agreements = strictFake<AgreementRepository>('AgreementRepository', {
    using: () =>
      strictFake<AgreementRepository>('AgreementRepository(tx)', { save: (a: AgreementEntity) => Promise.resolve(saved.push(a) ? a : a) }),
  });
  const moduleRef = await Test.createTestingModule({
    providers: [
      NegotiationService,
      { provide: CatalogRepository, useValue: catalog },
      { provide: AgreementRepository, useValue: agreements },
      { provide: Clock, useValue: new FixedClock(new Date('2026-06-01T12:00:00Z')) },
      { provide: UsageEnforcer, useValue: strictFake<UsageEnforcer>('UsageEnforcer', { problems: () => unenforceable }) },
      {
        provide: ClearingHouseOutbox,
        useValue: strictFake<ClearingHouseOutbox>('ClearingHouseOutbox', { ownSubject: 'OWN:SKI:keyid:AKI' }),
      },
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
      { provide: connectorSettings.token, useValue: { id: 'https://provider.example/' } },
    ],
  }).compile();
  return { negotiation: moduleRef.get(NegotiationService), saved, records };
}

const request = (rule: JsonLd = permission): JsonLd => ({ '@type': 'ids:ContractRequest', '@id': 'urn:offer:1', 'ids:permission': [rule] });

describe('NegotiationService (unit, strict fakes)', () => {
  it('turns a request for an offer into an agreement bound to the consumer, recorded with its clearing-house process', async () => {
    const { negotiation, saved, records } = await negotiationWith();
    const outcome = await negotiation.negotiate(request(), 'https://consumer.example/', 'CONSUMER:SUB', {
      message: { '@id': 'urn:msg:1' },
      payloadSha256: null,
    });
    assert.equal(outcome.agreed, true);
    const agreement = outcome.agreed ? outcome.agreement : {};
    assert.deepEqual(agreement['ids:consumer'], { '@id': 'https://consumer.example/' });
    assert.deepEqual(agreement['ids:provider'], { '@id': 'https://provider.example/' });
    assert.equal(saved.length, 1);
    assert.equal(saved[0].consumerSubject, 'CONSUMER:SUB');
    assert.deepEqual(saved[0].targets, [ARTIFACT]);
    assert.deepEqual(
      records.map((r) => r.kind),
      ['process', 'log'],
      'the process (both owners) and the logged request',
    );
    assert.deepEqual((records[0].body as { owners: string[] }).owners, ['CONSUMER:SUB', 'OWN:SKI:keyid:AKI']);
  });

  it('refuses a request that widens the offer, saying why, and stores nothing', async () => {
    const { negotiation, saved } = await negotiationWith();
    const outcome = await negotiation.negotiate(
      request({ ...permission, 'ids:action': [{ '@id': 'idsc:USE' }, { '@id': 'idsc:DISTRIBUTE' }] }),
      'https://consumer.example/',
    );
    assert.equal(outcome.agreed, false);
    assert.match(outcome.agreed ? '' : outcome.reasons.join(), /DISTRIBUTE is not offered/);
    assert.equal(saved.length, 0);
  });

  it('refuses what this connector could not enforce', async () => {
    const { negotiation, saved } = await negotiationWith(['permission[0]: no usage pattern evaluates the left operand WEATHER']);
    const outcome = await negotiation.negotiate(request(), 'https://consumer.example/');
    assert.match(outcome.agreed ? '' : outcome.reasons.join(), /cannot enforce the requested policy: .*WEATHER/);
    assert.equal(saved.length, 0);
  });

  it("answers a malformed request as the client's mistake in the payload", async () => {
    const { negotiation } = await negotiationWith();
    await assert.rejects(
      negotiation.negotiate({ '@type': 'ids:ContractRequest' }, 'https://consumer.example/'),
      /ids:ContractRequest: .*at least one ids:permission/,
    );
  });
});
