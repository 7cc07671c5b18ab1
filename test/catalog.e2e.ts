import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import jsonld from 'jsonld';
import { InfomodelShacl, offlineLoader } from './support/shacl.validator.js';
import { needsVectors, VECTORS_PRESENT } from './support/vectors.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;

describe('catalog admin API and self-description (e2e, real app on a temporary SQLite file)', () => {
  let t: TestApp;
  let shacl: InfomodelShacl | undefined;
  const bytes = Buffer.from('{"zone":"floor-2","count":7}\n'.repeat(1000));
  let ids: { resource: Json; representation: Json; artifact: Json; offer: Json };

  before(async () => {
    t = await startTestApp();
    if (VECTORS_PRESENT) shacl = InfomodelShacl.load('v4.1.0');
  });
  after(async () => t.close());

  it('builds a resource with representation, artifact and offer through the admin API', async () => {
    const resource = await t.call('POST', '/api/resources', {
      json: {
        title: 'Zone occupancy',
        description: 'people count',
        keywords: ['occupancy'],
        languages: ['EN'],
        publisher: 'https://example.org/engie',
        version: '1.0',
      },
    });
    assert.equal(resource.status, 201, resource.text);
    const representation = await t.call('POST', '/api/representations', {
      json: { resourceId: resource.json().id, mediaType: 'application/json', language: 'EN' },
    });
    assert.equal(representation.status, 201, representation.text);
    const artifact = await t.call('POST', '/api/artifacts', {
      json: { representationId: representation.json().id, fileName: 'occupancy.json' },
    });
    assert.equal(artifact.status, 201, artifact.text);
    const upload = await t.call('PUT', `/api/artifacts/${artifact.json().id}/data`, {
      body: bytes,
      headers: { 'content-type': 'application/octet-stream' },
    });
    assert.equal(upload.status, 200, upload.text);
    assert.equal(upload.json().byteSize, bytes.length);
    assert.equal(upload.json().checksum, createHash('sha256').update(bytes).digest('hex'));
    const offer = await t.call('POST', '/api/contract-offers', {
      json: {
        resourceId: resource.json().id,
        offer: {
          'ids:permission': [
            {
              '@type': 'ids:Permission',
              'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }],
              'ids:target': { '@id': artifact.json().iri },
            },
          ],
        },
      },
    });
    assert.equal(offer.status, 201, offer.text);
    ids = { resource: resource.json(), representation: representation.json(), artifact: upload.json(), offer: offer.json() };
  });

  it('shows the resource in GET / without credentials, in the Java library JSON-LD form', async () => {
    const res = await t.call('GET', '/', { admin: false });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /application\/ld\+json/);
    const sd = res.json<Json>();
    assert.equal(sd['@type'], 'ids:BaseConnector');
    assert.deepEqual(sd['@context'], { ids: 'https://w3id.org/idsa/core/', idsc: 'https://w3id.org/idsa/code/' });
    const resource = sd['ids:resourceCatalog'][0]['ids:offeredResource'].find((r: Json) => r['@id'] === ids.resource.iri);
    assert.ok(resource, 'resource listed in the catalog');
    assert.deepEqual(resource['ids:title'], [{ '@value': 'Zone occupancy', '@type': 'http://www.w3.org/2001/XMLSchema#string' }]);
    assert.deepEqual(resource['ids:language'], [{ '@id': 'https://w3id.org/idsa/code/EN' }]);
    const artifact = resource['ids:representation'][0]['ids:instance'][0];
    assert.equal(artifact['@id'], ids.artifact.iri);
    assert.deepEqual(artifact['ids:byteSize'], { '@value': String(bytes.length), '@type': 'http://www.w3.org/2001/XMLSchema#integer' });
    const offer = resource['ids:contractOffer'][0];
    assert.equal(offer['@id'], ids.offer.iri);
    assert.match(offer['ids:permission'][0]['@id'], /^https:\/\/w3id\.org\/idsa\/autogen\/permission\//);
    assert.deepEqual(offer['ids:provider'], { '@id': t.config.connector.id });
    for (const key of [
      'ids:curator',
      'ids:maintainer',
      'ids:securityProfile',
      'ids:hasDefaultEndpoint',
      'ids:publicKey',
      'ids:outboundModelVersion',
    ]) {
      assert.ok(sd[key], key);
    }
    assert.deepEqual(sd['ids:hasDefaultEndpoint']['ids:accessURL'], { '@id': `${t.config.server.publicUrl}/data` });
    const same = await t.call('GET', '/api/selfDescription/');
    assert.deepEqual(same.json(), sd);
  });

  it('conforms to the information model v4.1.0 SHACL shapes', needsVectors('the v4.1.0 SHACL shapes'), async () => {
    const sd = (await t.call('GET', '/', { admin: false })).json<Json>();
    const result = await shacl!.validate(sd);
    assert.deepEqual(result.problems, []);
    assert.equal(result.conforms, true);
  });

  it('the shapes catch a broken self-description (the check can fail)', needsVectors('the v4.1.0 SHACL shapes'), async () => {
    const sd = (await t.call('GET', '/', { admin: false })).json<Json>();
    delete sd['ids:maintainer'];
    sd['ids:securityProfile'] = { '@id': 'https://w3id.org/idsa/code/NO_SUCH_PROFILE' };
    const result = await shacl!.validate(sd);
    assert.equal(result.conforms, false);
    assert.ok(
      result.problems.some((p) => p.includes('maintainer')),
      result.problems.join('\n'),
    );
  });

  it('expands with the jsonld package without touching the network', async () => {
    const sd = (await t.call('GET', '/', { admin: false })).json<Json>();
    const expanded = await jsonld.expand(sd, { documentLoader: offlineLoader });
    assert.deepEqual(expanded[0]?.['@type'], ['https://w3id.org/idsa/core/BaseConnector']);
    assert.ok(expanded[0]?.['https://w3id.org/idsa/core/resourceCatalog']);
  });

  it('downloads the artifact bytes unchanged', async () => {
    const res = await t.call('GET', `/api/artifacts/${ids.artifact.id}/data`);
    assert.equal(res.status, 200);
    assert.ok(res.body.equals(bytes));
    assert.match(String(res.headers['content-disposition']), /occupancy\.json/);
  });

  it('lists with pagination', async () => {
    for (const title of ['b', 'c']) assert.equal((await t.call('POST', '/api/resources', { json: { title } })).status, 201);
    const page = (await t.call('GET', '/api/resources?page=1&size=2')).json<Json>();
    assert.equal(page.total, 3);
    assert.equal(page.items.length, 1);
    assert.equal((await t.call('GET', '/api/resources?size=1000')).status, 400);
  });

  it('requires admin credentials on every admin route (401)', async () => {
    for (const [method, path] of [
      ['GET', '/api/resources'],
      ['POST', '/api/catalogs'],
      ['GET', '/api/selfDescription/'],
      ['DELETE', `/api/artifacts/${ids.artifact.id}`],
      ['GET', `/api/artifacts/${ids.artifact.id}/data`],
    ] as const) {
      const res = await t.call(method, path, { admin: false });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.match(String(res.headers['www-authenticate']), /^Basic/);
    }
    const wrong = await t.call('GET', '/api/resources', {
      admin: false,
      headers: { authorization: 'Basic ' + Buffer.from('admin:nope').toString('base64') },
    });
    assert.equal(wrong.status, 401);
  });

  it('answers bad input with 4xx naming the field, and writes nothing', async () => {
    const before = (await t.call('GET', '/api/resources')).json<Json>().total;
    const missing = await t.call('POST', '/api/resources', { json: { description: 'no title' } });
    assert.equal(missing.status, 400);
    assert.match(missing.text, /title/);
    const wrongType = await t.call('POST', '/api/resources', { json: { title: 42, keywords: 'x' } });
    assert.equal(wrongType.status, 400);
    assert.match(wrongType.text, /title must be a string/);
    assert.match(wrongType.text, /keywords/);
    const badRef = await t.call('POST', '/api/representations', { json: { resourceId: '00000000-0000-4000-8000-000000000000' } });
    assert.equal(badRef.status, 400);
    assert.equal(badRef.json().field, 'resourceId');
    const badOffer = await t.call('POST', '/api/contract-offers', {
      json: { resourceId: ids.resource.id, offer: { 'ids:permission': [{ 'ids:constraint': [{}] }] } },
    });
    assert.equal(badOffer.status, 400);
    assert.match(badOffer.text, /ids:action/);
    assert.match(badOffer.text, /ids:leftOperand/);
    const badJson = await t.call('POST', '/api/resources', { body: '{"title":', headers: { 'content-type': 'application/json' } });
    assert.equal(badJson.status, 400);
    assert.equal((await t.call('GET', '/api/resources')).json<Json>().total, before);
  });

  it('answers unknown ids with 404 and malformed ids with 400', async () => {
    const unknown = await t.call('GET', '/api/artifacts/00000000-0000-4000-8000-000000000000');
    assert.equal(unknown.status, 404);
    assert.match(unknown.text, /artifact 00000000-0000-4000-8000-000000000000 does not exist/);
    const malformed = await t.call('GET', '/api/resources/not-a-uuid');
    assert.equal(malformed.status, 400);
    assert.match(malformed.text, /id/);
    assert.equal((await t.call('DELETE', '/api/contract-offers/00000000-0000-4000-8000-000000000000')).status, 404);
  });

  it('rejects an oversized JSON body with 413', async () => {
    const res = await t.call('POST', '/api/resources', { json: { title: 'x'.repeat(2 * 1024 * 1024) } });
    assert.equal(res.status, 413);
  });

  it('deleting a resource removes its rows and its stored bytes', async () => {
    const stored = join(t.config.storage.dataDir, 'artifacts');
    assert.equal(readdirSync(stored).length, 1);
    assert.equal((await t.call('DELETE', `/api/resources/${ids.resource.id}`)).status, 204);
    assert.equal((await t.call('GET', `/api/artifacts/${ids.artifact.id}`)).status, 404);
    assert.equal((await t.call('GET', `/api/contract-offers/${ids.offer.id}`)).status, 404);
    assert.equal(readdirSync(stored).length, 0);
    assert.equal(existsSync(ids.artifact.sourceLocation), false);
  });
});
