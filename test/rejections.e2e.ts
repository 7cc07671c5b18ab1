import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
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
  let resourceId: string;
  let url: string;
  const post = (header: Json | string, payload?: string): Promise<HttpResponse> => send('POST', url, formBody(header, payload));

  /** A USE offer of `target` under `permissionId`, and the agreement a ContractRequestMessage makes of it: its IRI. */
  const agree = async (resource: string, target: string, permissionId: string): Promise<string> => {
    const permission = {
      '@type': 'ids:Permission',
      '@id': permissionId,
      'ids:action': [{ '@id': 'https://w3id.org/idsa/code/USE' }],
      'ids:target': { '@id': target },
    };
    await t.call('POST', '/api/contract-offers', { json: { resourceId: resource, offer: { 'ids:permission': [permission] } } });
    const request = JSON.stringify({ '@type': 'ids:ContractRequest', 'ids:permission': [permission] });
    const agreed = parseReply((await post(idsHeader('ids:ContractRequestMessage'), request)).text);
    assert.equal(agreed.header['@type'], 'ids:ContractAgreementMessage', agreed.payload);
    return (JSON.parse(agreed.payload!) as Json)['@id'] as string;
  };

  before(async () => {
    t = await startTestApp();
    url = `${t.baseUrl}/data`;
    const offered = await offerArtifact(t, Buffer.from('{"ok":true}'));
    ({ artifact } = offered);
    resourceId = offered.resource.id;
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
    const agreement = await agree(resource.id as string, remote.iri as string, 'https://example.org/permission/1');
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

  it('TEMPORARILY_NOT_AVAILABLE: the store cannot take the exchange’s record; no bytes go and the use is not counted', async () => {
    const agreement = await agree(resourceId, artifact.iri as string, 'https://example.org/permission/refused-store');
    const request = (): Promise<HttpResponse> =>
      post(
        idsHeader('ids:ArtifactRequestMessage', {
          'ids:requestedArtifact': { '@id': artifact.iri },
          'ids:transferContract': { '@id': agreement },
        }),
      );
    const store = t.app.get(DataSource);
    const rows = async (): Promise<number[]> =>
      Promise.all(
        ['usage_log', 'usage_counters', 'audit_log'].map(async (table) => {
          const [{ n }] = await store.query<{ n: number | string }[]>(`SELECT COUNT(*) AS n FROM ${table}`);
          return Number(n);
        }),
      );
    const before = await rows();
    // A real refusal by the store: every audit row is refused, as a full disk or a broken file would.
    if (t.database === undefined) {
      await store.query(`CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'the store refuses'); END`);
    } else {
      await store.query(
        `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the store refuses'; END $$`,
      );
      await store.query('CREATE TRIGGER refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse()');
    }
    const r = rejection(await request());
    assert.equal(r.reason, 'TEMPORARILY_NOT_AVAILABLE');
    assert.match(r.text, /could not be recorded/);
    assert.deepEqual(await rows(), before, 'neither the use, nor its counter, nor a half of the exchange');
    await store.query(t.database === undefined ? 'DROP TRIGGER refuse' : 'DROP TRIGGER refuse ON audit_log');
    const served = parseReply((await request()).text);
    assert.equal(served.header['@type'], 'ids:ArtifactResponseMessage', served.payload);
    assert.equal(served.payload, '{"ok":true}');
    const [log, , audit] = await rows();
    assert.deepEqual([log, audit], [before[0] + 1, before[2] + 1], 'the next exchange: its use and its audit row');
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
