import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../src/common/clock.js';
import { runCollection } from './support/newman.runner.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { needsVectors, vector } from './support/vectors.js';

type Json = Record<string, any>;
const TRUE = 'http://w3id.org/engrd/connector';
const UC = '/platoontec/PlatoonDataUsage/1.0';

/**
 * TRUE's usage-control CI (true-connector-uc_data_app_platoon, .github/workflows/UC.yml) runs its collections
 * against the app at https://localhost:8180 with no credentials, from inside its network, in mid-2023: the
 * agreements carry 2023 dates (an interval ending 2025-06-18, an agreement ending 2024-06-19). So this set-up
 * is that app's: port 8180, FEP_PLATOON_UC_API=loopback, the consumer id and the purpose and role its PIP
 * answers with, and a clock at 2023-09-01 (time is an injected adapter).
 */
describe("TRUE's usage-control app API and its CI collections, unchanged (e2e, newman)", needsVectors("TRUE's UC CI collections"), () => {
  let uc: TestApp;

  before(async () => {
    uc = await startTestApp(
      {
        FEP_TLS: 'true',
        FEP_PLATOON_UC_API: 'loopback',
        FEP_CONNECTOR_ID: `${TRUE}/consumer`,
        FEP_USAGE_PURPOSES: 'http://example.com/ids-purpose:Marketing',
        FEP_USAGE_ROLES: 'http://example.com/ids-role:riskManager',
      },
      { port: 8180, clock: new FixedClock(new Date('2023-09-01T00:00:00Z')) },
    );
  });
  after(async () => {
    await uc?.close();
  });

  const collections = readdirSync(vector('true-connector', 'postman', 'uc-ci'))
    .filter((f) => f.endsWith('.json'))
    .sort();
  it('finds all nine collections', () => assert.equal(collections.length, 9));
  for (const file of collections) {
    it(`${file} passes`, async () => {
      const outcome = await runCollection(vector('true-connector', 'postman', 'uc-ci', file), {});
      assert.deepEqual(outcome.failures, []);
      assert.ok(outcome.requests >= 2);
      assert.ok(outcome.assertions >= 4);
    });
  }

  it("accepts every agreement in TRUE's Policies_example", async () => {
    const dir = vector('true-connector', 'policies');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const agreement = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Json;
      const stored = await uc.call('POST', `${UC}/contractAgreement`, { json: agreement, admin: false });
      assert.equal(stored.status, 200, `${file}: ${stored.text}`);
      assert.match(stored.text, /Contract Agreement has been (added|updated)/);
    }
  });

  it('answers an unsupported policy with 400, an unknown agreement with 404, a denial with 403 and its reasons', async () => {
    const unsupported = {
      '@type': 'ids:ContractAgreement',
      '@id': 'urn:uc:unsupported',
      'ids:permission': [
        {
          'ids:action': [{ '@id': 'idsc:USE' }],
          'ids:target': { '@id': `${TRUE}/artifact/1` },
          'ids:constraint': [
            {
              'ids:leftOperand': { '@id': 'idsc:ABSOLUTE_SPATIAL_POSITION' },
              'ids:operator': { '@id': 'idsc:INSIDE' },
              'ids:rightOperand': { '@value': 'EU' },
            },
          ],
        },
      ],
    };
    const refused = await uc.call('POST', `${UC}/contractAgreement`, { json: unsupported, admin: false });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /Policy not supported: .*ABSOLUTE_SPATIAL_POSITION/);
    const unknown = await uc.call(
      'POST',
      `${UC}/enforce/usage/agreement?contractAgreementUri=urn:none&requestedArtifact=${TRUE}/artifact/1&consuming=true`,
      { body: 'x', admin: false },
    );
    assert.equal(unknown.status, 404);
    const prohibited = JSON.parse(readFileSync(vector('true-connector', 'policies', 'prohibit_data_usage.json'), 'utf8')) as Json;
    await uc.call('POST', `${UC}/contractAgreement`, { json: prohibited, admin: false });
    const denied = await uc.call(
      'POST',
      `${UC}/enforce/usage/agreement?contractAgreementUri=${encodeURIComponent(prohibited['@id'])}&requestedArtifact=${TRUE}/artifact/1&consuming=true`,
      { body: '"data"', admin: false },
    );
    assert.equal(denied.status, 403);
    assert.match(denied.text, /PDP decided to inhibit the usage: Event is not allowed according to policy\. usage denied: PROHIBIT_ACCESS/);
    const missing = await uc.call('POST', `${UC}/enforce/usage/agreement?requestedArtifact=x`, { body: 'x', admin: false });
    assert.equal(missing.status, 400);
  });

  it('consuming=false decides without spending a use', async () => {
    const count = JSON.parse(
      readFileSync(vector('true-connector', 'policies', 'restricted_number_of_usages_data_usage.json'), 'utf8'),
    ) as Json;
    const agreement = { ...count, '@id': 'urn:uc:count-dry-run' };
    await uc.call('POST', `${UC}/contractAgreement`, { json: agreement, admin: false });
    const enforce = (consuming: string) =>
      uc.call(
        'POST',
        `${UC}/enforce/usage/agreement?contractAgreementUri=urn:uc:count-dry-run&requestedArtifact=${TRUE}/artifact/1&consuming=${consuming}`,
        { body: 'payload', admin: false },
      );
    for (let i = 0; i < 5; i++) assert.equal((await enforce('false')).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await enforce('true')).text, 'payload');
    assert.equal((await enforce('true')).status, 403);
  });
});

describe('the Platoon usage-control API is an admin API by default', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app.close();
  });

  it('needs the admin user unless FEP_PLATOON_UC_API=loopback', async () => {
    assert.equal((await app.call('POST', `${UC}/contractAgreement`, { json: {}, admin: false })).status, 401);
    const bad = await app.call('POST', `${UC}/contractAgreement`, { json: { '@type': 'ids:ContractAgreement' } });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /needs an @id/);
  });
});
