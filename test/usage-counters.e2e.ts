import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AgreementRepository } from '../src/contracts/agreement.repository.js';
import { send } from './support/http.client.js';
import { fixtureAgreement, formBody, idsHeader, offerArtifact, parseReply } from './support/ids.fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;

/**
 * N_TIMES_USAGE under load: 100 requests at once against a limit of 10 get exactly 10 answers with data. On SQLite
 * the count is held in memory and reserved synchronously (use.counters.ts); on PostgreSQL, when .ci/run sets
 * FEP_TEST_DATABASE_URL, each use is claimed with one conditional UPDATE.
 */
describe('N_TIMES_USAGE counters are atomic (e2e)', () => {
  let provider: TestApp;
  let artifact: Json;
  const agreementIri = 'https://w3id.org/idsa/autogen/contractAgreement/count-10';

  before(async () => {
    provider = await startTestApp();
    ({ artifact } = await offerArtifact(provider, Buffer.from('{"occupancy":42}')));
    const fixture = fixtureAgreement(agreementIri, 'http://w3id.org/engrd/connector/consumer', [artifact.iri]);
    const permission = (fixture.document['ids:permission'] as Json[])[0];
    permission['ids:constraint'] = [
      {
        'ids:leftOperand': { '@id': 'idsc:COUNT' },
        'ids:operator': { '@id': 'idsc:LTEQ' },
        'ids:rightOperand': { '@value': '10', '@type': 'xsd:double' },
      },
    ];
    await provider.app.get(AgreementRepository).save(fixture);
  });
  after(async () => {
    await provider.close();
  });

  it('100 concurrent artifact requests against a limit of 10 serve exactly 10; the rest are NOT_AUTHORIZED', async () => {
    const request = (): Promise<string> => {
      const { body, headers } = formBody(
        idsHeader('ids:ArtifactRequestMessage', {
          'ids:requestedArtifact': { '@id': artifact.iri },
          'ids:transferContract': { '@id': agreementIri },
        }),
      );
      return send('POST', `${provider.baseUrl}/data`, { headers, body }).then((r) => {
        assert.equal(r.status, 200);
        const reply = parseReply(r.text);
        if (reply.header['@type'] === 'ids:ArtifactResponseMessage') return 'served';
        assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/NOT_AUTHORIZED');
        return 'refused';
      });
    };
    const outcomes = await Promise.all(Array.from({ length: 100 }, request));
    assert.equal(outcomes.filter((o) => o === 'served').length, 10);
    assert.equal(outcomes.filter((o) => o === 'refused').length, 90);
    const log = (await provider.call('GET', `/api/usage/log?agreement=${encodeURIComponent(agreementIri)}&size=200`)).json<Json>();
    assert.equal(log.total, 100);
    assert.equal(log.items.filter((e: Json) => e.permitted).length, 10);
  });
});
