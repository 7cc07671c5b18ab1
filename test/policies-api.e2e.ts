import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { POLICIES_DIR } from '../src/usage/policy-templates.loader.js';
import { offerArtifact } from './support/ids.fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;

describe('policy patterns and offers built from them (admin API, e2e)', () => {
  let t: TestApp;
  let offered: { resource: Json; artifact: Json };

  before(async () => {
    // The template's example NOTIFY endpoint must be allowed for the offer to be enforceable.
    t = await startTestApp({ FEP_USAGE_NOTIFY_ALLOWED: 'https://provider.example.org/' });
    offered = await offerArtifact(t, Buffer.from('{}'));
  });
  after(async () => {
    await t.close();
  });

  it('lists the twelve patterns, each with its template from policies/ (one file per pattern, named like its evaluator)', async () => {
    const patterns = (await t.call('GET', '/api/policies/patterns')).json<Json[]>();
    assert.deepEqual(patterns.map((p) => p.name).sort(), [
      'CONNECTOR_RESTRICTED_USAGE',
      'DURATION_USAGE',
      'N_TIMES_USAGE',
      'PROHIBIT_ACCESS',
      'PROVIDE_ACCESS',
      'PURPOSE_RESTRICTED_USAGE',
      'ROLE_RESTRICTED_USAGE',
      'SECURITY_PROFILE_RESTRICTED_USAGE',
      'USAGE_DURING_INTERVAL',
      'USAGE_LOGGING',
      'USAGE_NOTIFICATION',
      'USAGE_UNTIL_DELETION',
    ]);
    const files = readdirSync(POLICIES_DIR)
      .filter((f) => f.endsWith('.json'))
      .sort();
    assert.deepEqual(files, patterns.map((p) => `${p.name.toLowerCase().replace(/_/g, '-')}.json`).sort());
    for (const p of patterns) assert.equal(p.template['@type'], 'ids:ContractOffer', p.name);
    assert.equal((await t.call('GET', '/api/policies/patterns', { admin: false })).status, 401);
  });

  it('builds an enforceable offer from every pattern with its example parameters, and the catalog takes it', async () => {
    const patterns = (await t.call('GET', '/api/policies/patterns')).json<Json[]>();
    for (const p of patterns) {
      const parameters = Object.fromEntries(p.parameters.map((q: Json) => [q.name, q.example]));
      const built = await t.call('POST', '/api/policies/offers', { json: { pattern: p.name, target: offered.artifact.iri, parameters } });
      assert.equal(built.status, 200, `${p.name}: ${built.text}`);
      assert.equal(JSON.stringify(built.json()).includes('{{'), false, `${p.name}: every placeholder is filled`);
      const stored = await t.call('POST', '/api/contract-offers', { json: { resourceId: offered.resource.id, offer: built.json() } });
      assert.equal(stored.status, 201, `${p.name}: ${stored.text}`);
    }
  });

  it('combines patterns on one permission (a conjunction)', async () => {
    const built = await t.call('POST', '/api/policies/offers', {
      json: {
        target: offered.artifact.iri,
        patterns: [
          { pattern: 'N_TIMES_USAGE', parameters: { count: 3 } },
          { pattern: 'USAGE_LOGGING' },
          { pattern: 'DURATION_USAGE', parameters: { duration: 'P7D' } },
        ],
      },
    });
    assert.equal(built.status, 200, built.text);
    const [permission] = built.json<Json>()['ids:permission'];
    assert.equal(permission['ids:constraint'].length, 2);
    assert.equal(permission['ids:postDuty'].length, 1);
  });

  it('says what is wrong with a request: unknown pattern, missing or malformed parameter, bad target', async () => {
    const cases: [Json, RegExp][] = [
      [{ pattern: 'GEOFENCE', target: offered.artifact.iri }, /unknown pattern GEOFENCE/],
      [{ pattern: 'N_TIMES_USAGE', target: offered.artifact.iri }, /parameter count .* is required/],
      [{ pattern: 'N_TIMES_USAGE', target: offered.artifact.iri, parameters: { count: '2.5' } }, /not a whole number/],
      [{ pattern: 'DURATION_USAGE', target: offered.artifact.iri, parameters: { duration: '7 days' } }, /not an xsd:duration/],
      [
        {
          pattern: 'USAGE_DURING_INTERVAL',
          target: offered.artifact.iri,
          parameters: { start: '2026-01-01', end: '2027-01-01T00:00:00Z' },
        },
        /not an xsd:dateTimeStamp/,
      ],
      [
        { pattern: 'SECURITY_PROFILE_RESTRICTED_USAGE', target: offered.artifact.iri, parameters: { profile: 'HIGH' } },
        /is not BASE_SECURITY_PROFILE/,
      ],
      [
        { pattern: 'USAGE_NOTIFICATION', target: offered.artifact.iri, parameters: { endpoint: 'mailto:ops@example.org' } },
        /must be an http\(s\) URL/,
      ],
      [{ pattern: 'PROVIDE_ACCESS', target: 'not an iri' }, /not an artifact IRI/],
      [{ target: offered.artifact.iri, patterns: [{ pattern: 'PROHIBIT_ACCESS' }, { pattern: 'USAGE_LOGGING' }] }, /cannot be combined/],
      [{ target: offered.artifact.iri }, /name a pattern/],
    ];
    for (const [json, reason] of cases) {
      const r = await t.call('POST', '/api/policies/offers', { json });
      assert.equal(r.status, 400, JSON.stringify(json));
      assert.match(r.json<Json>().message, reason);
    }
  });
});
