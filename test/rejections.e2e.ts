import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { send, type HttpResponse } from './support/http.client.js';
import { formBody, idsHeader, offerArtifact, parseReply } from './support/ids.fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;
const CODE = 'https://w3id.org/idsa/code/';

/** Every rejection travels as a normal IDS reply: HTTP 200, in the request's transport, reason in the payload. */
function rejection(res: HttpResponse): { reason: string; text: string; header: Json } {
  assert.equal(res.status, 200, res.text);
  const reply = parseReply(res.text);
  assert.equal(reply.header['@type'], 'ids:RejectionMessage', res.text);
  return { reason: reply.header['ids:rejectionReason']['@id'].replace(CODE, ''), text: reply.payload ?? '', header: reply.header };
}

describe('IDS rejections: one test per ids:rejectionReason (e2e)', () => {
  let t: TestApp;
  let artifact: Json;
  let url: string;
  const post = (header: Json | string, payload?: string): Promise<HttpResponse> => send('POST', url, formBody(header, payload));

  before(async () => {
    t = await startTestApp();
    url = `${t.baseUrl}/data`;
    ({ artifact } = await offerArtifact(t, Buffer.from('{"ok":true}')));
  });
  after(async () => t.close());

  it('MALFORMED_MESSAGE: a header part that is not JSON', async () => {
    const r = rejection(await post('{"@type": "ids:DescriptionRequestMessage",'));
    assert.equal(r.reason, 'MALFORMED_MESSAGE');
    assert.match(r.text, /header part: not JSON/);
    // Received, so audited, even unreadable.
    const audit = (await t.call('GET', '/api/audit?direction=inbound&size=1')).json<Record<string, any>>().items[0];
    assert.deepEqual([audit.messageType, audit.replyType], ['unknown', 'ids:RejectionMessage']);
    assert.match(audit.outcome, /^MALFORMED_MESSAGE: /);
  });

  it('MALFORMED_MESSAGE: a message missing ids:issued, naming the field', async () => {
    const header = idsHeader('ids:DescriptionRequestMessage');
    delete header['ids:issued'];
    const r = rejection(await post(header));
    assert.equal(r.reason, 'MALFORMED_MESSAGE');
    assert.match(r.text, /ids:issued: is required/);
    assert.equal(r.header['ids:correlationMessage']['@id'], header['@id'], 'still correlated');
  });

  it('NOT_AUTHENTICATED: no security token', async () => {
    const header = idsHeader('ids:DescriptionRequestMessage');
    delete header['ids:securityToken'];
    const r = rejection(await post(header));
    assert.equal(r.reason, 'NOT_AUTHENTICATED');
    assert.match(r.text, /ids:securityToken/);
  });

  it('NOT_AUTHORIZED: an artifact request without an agreement', async () => {
    const r = rejection(await post(idsHeader('ids:ArtifactRequestMessage', { 'ids:requestedArtifact': { '@id': artifact.iri } })));
    assert.equal(r.reason, 'NOT_AUTHORIZED');
    assert.match(r.text, /ids:transferContract/);
  });

  it('NOT_FOUND: an unknown artifact', async () => {
    const r = rejection(
      await post(idsHeader('ids:ArtifactRequestMessage', { 'ids:requestedArtifact': { '@id': 'https://nowhere.example/artifact/9' } })),
    );
    assert.equal(r.reason, 'NOT_FOUND');
    assert.match(r.text, /no artifact https:\/\/nowhere\.example\/artifact\/9/);
  });

  it('BAD_PARAMETERS: a contract request whose payload is no contract', async () => {
    const r = rejection(await post(idsHeader('ids:ContractRequestMessage'), JSON.stringify({ '@type': 'ids:ContractRequest' })));
    assert.equal(r.reason, 'BAD_PARAMETERS');
    assert.match(r.text, /at least one ids:permission/);
  });

  it('VERSION_NOT_SUPPORTED: ids:modelVersion outside 4.0.0 to 4.2.7', async () => {
    for (const version of ['3.0.0', '4.3.0', '5.0.0']) {
      const r = rejection(await post(idsHeader('ids:DescriptionRequestMessage', { 'ids:modelVersion': version })));
      assert.equal(r.reason, 'VERSION_NOT_SUPPORTED');
      assert.match(r.text, new RegExp(version.replace(/\./g, '\\.')));
    }
    assert.equal(
      parseReply((await post(idsHeader('ids:DescriptionRequestMessage', { 'ids:modelVersion': '4.0.0' }))).text).header['@type'],
      'ids:DescriptionResponseMessage',
    );
  });

  it('MESSAGE_TYPE_NOT_SUPPORTED: a message type this connector does not handle, and a made-up one', async () => {
    const r = rejection(await post(idsHeader('ids:QueryMessage')));
    assert.equal(r.reason, 'MESSAGE_TYPE_NOT_SUPPORTED');
    assert.equal(rejection(await post(idsHeader('ids:PleaseSendEverythingMessage'))).reason, 'MESSAGE_TYPE_NOT_SUPPORTED');
  });

  it("INTERNAL_RECIPIENT_ERROR: the artifact's data source is down", async () => {
    const resource = (await t.call('POST', '/api/resources', { json: { title: 'remote data' } })).json<Json>();
    const rep = (await t.call('POST', '/api/representations', { json: { resourceId: resource.id } })).json<Json>();
    const remote = (
      await t.call('POST', '/api/artifacts', {
        json: { representationId: rep.id, sourceType: 'http', sourceLocation: 'http://127.0.0.1:9/down' },
      })
    ).json<Json>();
    const permission = {
      '@type': 'ids:Permission',
      '@id': 'https://example.org/permission/1',
      'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }],
      'ids:target': { '@id': remote.iri },
    };
    await t.call('POST', '/api/contract-offers', { json: { resourceId: resource.id, offer: { 'ids:permission': [permission] } } });
    const agreed = parseReply(
      (
        await post(
          idsHeader('ids:ContractRequestMessage'),
          JSON.stringify({ '@type': 'ids:ContractRequest', 'ids:permission': [permission] }),
        )
      ).text,
    );
    assert.equal(agreed.header['@type'], 'ids:ContractAgreementMessage', agreed.payload);
    const agreement = JSON.parse(agreed.payload!)['@id'];
    const r = rejection(
      await post(
        idsHeader('ids:ArtifactRequestMessage', {
          'ids:requestedArtifact': { '@id': remote.iri },
          'ids:transferContract': { '@id': agreement },
        }),
      ),
    );
    assert.equal(r.reason, 'INTERNAL_RECIPIENT_ERROR');
    assert.match(r.text, /unreachable/);
  });

  it('a rejection of an http-header request travels as http-header', async () => {
    const res = await send('POST', url, {
      headers: {
        'IDS-Messagetype': 'ids:DescriptionRequestMessage',
        'IDS-Id': 'https://example.org/m/2',
        'IDS-ModelVersion': '9.9.9',
        'IDS-Issued': new Date().toISOString(),
        'IDS-IssuerConnector': 'https://example.org/c',
        'IDS-SenderAgent': 'https://example.org/c',
        'IDS-SecurityToken-TokenValue': 'x',
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['ids-messagetype'], 'ids:RejectionMessage');
    assert.equal(res.headers['ids-rejectionreason'], `${CODE}VERSION_NOT_SUPPORTED`);
    assert.equal(res.headers['ids-correlationmessage'], 'https://example.org/m/2');
  });
});
