import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { runCollection } from './support/newman.runner.js';
import { InfomodelShacl } from './support/shacl.validator.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { needsVectors, vector } from './support/vectors.js';

type Json = Record<string, any>;
const COLLECTION = (): string => vector('true-connector', 'postman', 'TRUE_Connector_v1.postman_collection.json');

/** The collection's own "OfferedResource - Create" body, with Postman's dynamic variables filled in. */
function trueResourceBody(): Json {
  const collection = JSON.parse(readFileSync(COLLECTION(), 'utf8'));
  const folder = collection.item[0].item.find((i: Json) => i.name === 'OfferedResource');
  const raw: string = folder.item.find((i: Json) => i.name === 'OfferedResource - Create').request.body.raw;
  return JSON.parse(raw.replace(/\{\{\$guid\}\}/g, () => randomUUID()).replace(/\{\{\$isoTimestamp\}\}/g, () => new Date().toISOString()));
}

describe("TRUE Connector's self-description management API (e2e)", needsVectors("TRUE's Postman collection and the v4.1.0 shapes"), () => {
  let t: TestApp;
  // The collection's users (documented upstream in TRUE's users.properties).
  before(async () => {
    t = await startTestApp({ FEP_ADMIN_USER: 'apiUser', FEP_ADMIN_PASSWORD: 'passwordApiUser' });
  });
  after(async () => t.close());

  it("passes the SelfDescription API folders of TRUE's own Postman collection, run unchanged with newman", async () => {
    // TRUE's demo catalog has several text resources, each with an offer and a representation: seed two.
    for (let i = 0; i < 2; i++) {
      const body = trueResourceBody();
      body['ids:representation'][0]['ids:instance'][0]['@id'] = `http://w3id.org/engrd/connector/artifact/seed-${i}`;
      const res = await t.call('POST', '/api/offeredResource/', {
        json: body,
        admin: false,
        headers: { authorization: 'Basic ' + Buffer.from('apiUser:passwordApiUser').toString('base64') },
      });
      assert.equal(res.status, 200, res.text);
    }
    const outcome = await runCollection(COLLECTION(), {
      folder: ['ContractOffer', 'OfferedResource', 'Representation'],
      envVar: { Self_Description_URL: t.baseUrl },
    });
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.requests, 15);
    assert.ok(outcome.assertions >= 15, `ran ${outcome.assertions} assertions`);
  });

  it('keeps the self-description valid against the v4.1.0 shapes after TRUE-style writes', async () => {
    const sd = (await t.call('GET', '/api/selfDescription/')).json<Json>();
    const result = await InfomodelShacl.load('v4.1.0').validate(sd);
    assert.deepEqual(result.problems, []);
  });

  it('answers TRUE-path mistakes with 4xx and leaves the catalog unchanged', async () => {
    const before = (await t.call('GET', '/api/selfDescription/')).text;
    const noHeader = await t.call('GET', '/api/offeredResource/');
    assert.equal(noHeader.status, 400, noHeader.text);
    assert.match(noHeader.json<Json>().message, /the resource header naming/);
    assert.equal((await t.call('GET', '/api/offeredResource/', { headers: { resource: 'urn:none' } })).status, 404);
    assert.equal((await t.call('DELETE', '/api/contractOffer/', { headers: { contractoffer: 'urn:none' } })).status, 404);
    const existing = (await t.call('GET', '/api/selfDescription/')).json<Json>()['ids:resourceCatalog'][0]['ids:offeredResource'][0];
    const duplicate = await t.call('POST', '/api/offeredResource/', { json: { ...trueResourceBody(), '@id': existing['@id'] } });
    assert.equal(duplicate.status, 409);
    // A nested offer with a broken rule: the whole document is refused, nothing of it is stored.
    const broken = trueResourceBody();
    broken['ids:contractOffer'][0]['ids:permission'][0]['ids:action'] = [];
    const refused = await t.call('POST', '/api/offeredResource/', { json: broken });
    assert.equal(refused.status, 400);
    assert.match(refused.text, /ids:action/);
    const mismatched = await t.call('POST', '/api/representation/', {
      json: { '@type': 'ids:ImageRepresentation' },
      headers: { resource: existing['@id'] },
    });
    assert.equal(mismatched.status, 400);
    assert.match(mismatched.text, /ids:TextRepresentation/);
    assert.equal((await t.call('POST', '/api/contractOffer/', { json: [], headers: { resource: existing['@id'] } })).status, 400);
    assert.equal((await t.call('GET', '/api/selfDescription/')).text, before);
  });
});
