import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fixtureAgreement } from './support/ids.fixtures.js';
import { AgreementRepository } from '../src/contracts/agreement.repository.js';
import { runCollection } from './support/newman.runner.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { needsVectors, vector } from './support/vectors.js';

type Json = Record<string, any>;

/**
 * TRUE Connector's own CI suites (execution core container, ci/docker/test-cases), run unchanged with newman
 * against a consumer and a provider fep-connector set up as TRUE's CI pair: the consumer's /proxy on
 * https://localhost:8185 (data-app user idsUser), the provider at https://ecc-provider:8889/data (the name is
 * pinned to 127.0.0.1 with FEP_RESOLVE instead of a hosts entry), and TRUE's demo artifacts as fixtures.
 */
const TRUE = 'http://w3id.org/engrd/connector';
const JOHN_DOE = {
  firstName: 'John',
  lastName: 'Doe',
  address: '591  Franklin Street, Pennsylvania',
  checksum: 'ABC123 2024/01/01',
  dateOfBirth: '1970-01-01',
};
const BIG_TEXT = Array.from(
  { length: 20_000 },
  (_, i) => `Line ${i}: he was allowed to express his own views, as young people are fond of doing.`,
).join('\n');

function trueResource(artifact: string, title: string): Json {
  const stamp = { '@value': new Date().toISOString(), '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' };
  return {
    '@context': { ids: 'https://w3id.org/idsa/core/', idsc: 'https://w3id.org/idsa/code/' },
    '@type': 'ids:TextResource',
    '@id': `https://w3id.org/idsa/autogen/textResource/${randomUUID()}`,
    'ids:title': [{ '@value': title, '@type': 'http://www.w3.org/2001/XMLSchema#string' }],
    'ids:language': [{ '@id': 'https://w3id.org/idsa/code/EN' }],
    'ids:created': stamp,
    'ids:contractOffer': [
      {
        '@type': 'ids:ContractOffer',
        '@id': `https://w3id.org/idsa/autogen/contractOffer/${randomUUID()}`,
        'ids:permission': [
          {
            '@type': 'ids:Permission',
            '@id': `https://w3id.org/idsa/autogen/permission/${randomUUID()}`,
            'ids:target': { '@id': artifact },
            'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }],
          },
        ],
      },
    ],
    'ids:representation': [
      {
        '@type': 'ids:TextRepresentation',
        '@id': `https://w3id.org/idsa/autogen/textRepresentation/${randomUUID()}`,
        'ids:instance': [{ '@type': 'ids:Artifact', '@id': artifact, 'ids:creationDate': stamp }],
      },
    ],
  };
}

describe(
  "TRUE Connector's ECC CI collections, unchanged, against a fep-connector pair (e2e, newman)",
  needsVectors("TRUE's ECC CI collections"),
  () => {
    let provider: TestApp;
    let consumer: TestApp;

    before(async () => {
      provider = await startTestApp(
        {
          FEP_TLS: 'true',
          FEP_PUBLIC_URL: 'https://ecc-provider:8889',
          FEP_CONNECTOR_ID: `${TRUE}/provider`,
          FEP_ADMIN_USER: 'apiUser',
          FEP_ADMIN_PASSWORD: 'passwordApiUser',
        },
        { port: 8889 },
      );
      consumer = await startTestApp(
        {
          FEP_TLS: 'true',
          FEP_PUBLIC_URL: 'https://localhost:8185',
          FEP_CONNECTOR_ID: `${TRUE}/consumer`,
          FEP_ADMIN_USER: 'apiUser',
          FEP_ADMIN_PASSWORD: 'passwordApiUser',
          FEP_DATA_APP_USER: 'idsUser',
          FEP_DATA_APP_PASSWORD: 'password',
          FEP_TRUSTSTORE: join(provider.dir, 'certs', 'dev-ca.crt.pem'),
          FEP_RESOLVE: 'ecc-provider=127.0.0.1',
        },
        { port: 8185 },
      );
      // TRUE's demo catalog: artifact/1 (the John Doe record) and artifact/big (a long text).
      for (const [artifact, title, data, type] of [
        [`${TRUE}/artifact/1`, 'John Doe', JSON.stringify(JOHN_DOE), 'application/json'],
        [`${TRUE}/artifact/big`, 'World class literature', BIG_TEXT, 'text/plain'],
      ] as const) {
        assert.equal((await provider.call('POST', '/api/offeredResource/', { json: trueResource(artifact, title) })).status, 200);
        const found = (await provider.call('GET', '/api/artifacts?size=200')).json<Json>().items.find((a: Json) => a.iri === artifact);
        assert.equal(
          (
            await provider.call('PUT', `/api/artifacts/${found.id}/data`, {
              body: data,
              headers: { 'content-type': 'application/octet-stream' },
            })
          ).status,
          200,
        );
        const rep = (await provider.call('GET', `/api/representations/${found.representationId}`)).json<Json>();
        assert.equal((await provider.call('PATCH', `/api/representations/${rep.id}`, { json: { mediaType: type } })).status, 200);
      }
      // TRUE's data app sends this transfer contract when a request names none: the fixture agreement for it.
      const fixture = fixtureAgreement(`${TRUE}/examplecontract`, `${TRUE}/consumer`, [`${TRUE}/artifact/1`, `${TRUE}/artifact/big`]);
      await provider.app.get(AgreementRepository).save(fixture);
      // TRUE's consumer enforces it with its usage-control app, which holds the agreement: the same API here.
      const stored = await consumer.call('POST', '/platoontec/PlatoonDataUsage/1.0/contractAgreement', { json: fixture.document });
      assert.equal(stored.status, 200, stored.text);
    });
    after(async () => {
      await consumer?.close();
      await provider?.close();
    });

    for (const name of ['HTTPS-HTTPS-form', 'HTTPS-HTTPS-mixed', 'HTTPS-HTTPS-header']) {
      for (const variant of ['', '-contract-negotiation']) {
        it(`${name}${variant}.json passes`, async () => {
          const outcome = await runCollection(vector('true-connector', 'postman', 'ecc-ci', `${name}${variant}.json`), {});
          assert.deepEqual(outcome.failures, []);
          assert.equal(outcome.requests, 5);
          assert.ok(outcome.assertions >= 5);
        });
      }
    }
  },
);
