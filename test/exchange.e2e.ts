import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { send } from './support/http.client.js';
import { formBody, idsHeader, offerArtifact, parseReply } from './support/ids.fixtures.js';
import { makePki, omejdnEnv, register } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { needsVectors, vector } from './support/vectors.js';

type Json = Record<string, any>;
const TRANSPORTS = ['form', 'mixed', 'http-header'] as const;

describe('IDS message exchange between two connectors: omejdn DAPS, mutual TLS (e2e, in one process)', () => {
  let daps: TestDaps;
  let provider: TestApp;
  let consumer: TestApp;
  let offered: { resource: Json; artifact: Json; offer: Json };
  const bytes = Buffer.from(JSON.stringify({ zone: 'floor-2', counts: Array.from({ length: 2000 }, (_, i) => i % 17) }));

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer']);
    for (const party of Object.values(pki.parties)) register(daps, party);
    // Both require client certificates: every call is mutual TLS, and the DAT is bound to the certificate.
    provider = await startTestApp(omejdnEnv(pki.parties['provider'], pki.caFile, daps, { FEP_TLS_CLIENT_AUTH: 'require' }));
    consumer = await startTestApp(omejdnEnv(pki.parties['consumer'], pki.caFile, daps, { FEP_TLS_CLIENT_AUTH: 'require' }));
    offered = await offerArtifact(provider, bytes);
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await daps.stop();
  });

  for (const transport of TRANSPORTS) {
    it(`describes, negotiates and fetches over ${transport}; the bytes equal the provider's`, async () => {
      const url = `${provider.baseUrl}/data`;
      const described = await consumer.call('POST', '/api/consumer/describe', { json: { url, transport } });
      assert.equal(described.status, 200, described.text);
      const catalog = described.json<Json>()['ids:resourceCatalog'][0];
      const resource = catalog['ids:offeredResource'].find((r: Json) => r['@id'] === offered.resource.iri);
      assert.ok(resource);
      const element = await consumer.call('POST', '/api/consumer/describe', { json: { url, transport, elementId: offered.resource.iri } });
      assert.equal(element.json<Json>()['@id'], offered.resource.iri);
      const negotiated = await consumer.call('POST', '/api/consumer/negotiate', {
        json: { url, transport, offer: resource['ids:contractOffer'][0] },
      });
      assert.equal(negotiated.status, 200, negotiated.text);
      const agreement = negotiated.json<Json>();
      assert.deepEqual(agreement.targets, [offered.artifact.iri]);
      assert.equal(agreement.document['ids:consumer']['@id'], consumer.config.connector.id);
      assert.equal(agreement.document['ids:provider']['@id'], provider.config.connector.id);
      const fetched = await consumer.call('POST', '/api/consumer/fetch', {
        json: { url, transport, artifact: offered.artifact.iri, agreement: agreement.iri },
      });
      assert.equal(fetched.status, 200, fetched.text);
      assert.equal(fetched.json<Json>().checksum, offered.artifact.checksum);
      const data = await consumer.call('GET', `/api/consumer/artifacts/${fetched.json<Json>().id}/data`);
      assert.ok(data.body.equals(bytes));
    });
  }

  it('lists what the consumer kept', async () => {
    const agreements = (await consumer.call('GET', '/api/consumer/agreements')).json<Json>();
    const artifacts = (await consumer.call('GET', '/api/consumer/artifacts')).json<Json>();
    assert.equal(agreements.total, 3);
    assert.equal(artifacts.total, 3);
    assert.ok(artifacts.items.every((a: Json) => agreements.items.some((g: Json) => g.iri === a.agreementIri)));
  });

  it('refuses a caller without a client certificate at the TLS level', async () => {
    await assert.rejects(
      send('POST', `${provider.baseUrl}/data`, {
        ...formBody(idsHeader('ids:DescriptionRequestMessage')),
        ca: provider.identity.chainPems.join('\n'),
      }),
      /certificate|socket hang up|ECONNRESET|alert/i,
    );
  });
});

describe('TRUE-style peers with DAPS interaction disabled (e2e)', () => {
  let provider: TestApp;
  let offered: { resource: Json; artifact: Json; offer: Json };

  before(async () => {
    provider = await startTestApp({ FEP_CONNECTOR_ID: 'https://provider.example/connector' });
    offered = await offerArtifact(provider, Buffer.from('{"ok":true}'));
  });
  after(async () => provider.close());

  it('answers in the transport of the request, with the reply fields set from the request', async () => {
    const header = idsHeader('ids:DescriptionRequestMessage', { 'ids:requestedElement': { '@id': offered.artifact.iri } });
    const { body, headers } = formBody(header);
    const res = await send('POST', `${provider.baseUrl}/data`, { body, headers });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^multipart\/form-data; boundary=/);
    const reply = parseReply(res.text);
    for (const part of reply.parts) assert.match(part, /Content-Length: \d+/, 'every part carries Content-Length (TRUE needs it)');
    assert.equal(reply.header['@type'], 'ids:DescriptionResponseMessage');
    assert.deepEqual(reply.header['ids:correlationMessage'], { '@id': header['@id'] });
    assert.deepEqual(reply.header['ids:recipientConnector'], [{ '@id': 'http://w3id.org/engrd/connector/consumer' }]);
    assert.deepEqual(reply.header['ids:issuerConnector'], { '@id': 'https://provider.example/connector' });
    assert.equal(reply.header['ids:modelVersion'], '4.2.7');
    assert.equal(reply.header['ids:issued']['@type'], 'http://www.w3.org/2001/XMLSchema#dateTimeStamp');
    assert.equal(reply.header['ids:securityToken']['@type'], 'ids:DynamicAttributeToken');
    assert.notEqual(reply.header['@id'], header['@id']);
    assert.equal(JSON.parse(reply.payload!)['@id'], offered.artifact.iri);
  });

  it(
    "parses TRUE Connector's example messages and answers each with the right kind of reply",
    needsVectors("TRUE's example messages"),
    async () => {
      const mixed = JSON.parse(readFileSync(vector('true-connector', 'artifact-request.multipart-mixed.json'), 'utf8'));
      const res = await send('POST', `${provider.baseUrl}/data`, {
        body: mixed.body,
        headers: Object.fromEntries(mixed.headers.filter((h: string[]) => h[0] !== 'Forward-To')),
      });
      const reply = parseReply(res.text);
      // The example names an agreement this provider never made: a correlated rejection, not a parse failure.
      assert.equal(reply.header['@type'], 'ids:RejectionMessage');
      assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/NOT_FOUND');
      assert.equal(
        reply.header['ids:correlationMessage']['@id'],
        'https://w3id.org/idsa/autogen/artifactRequestMessage/e639dcba-d3b3-41b0-87fd-c181c2586bef',
      );

      const hh = JSON.parse(readFileSync(vector('true-connector', 'artifact-request.http-header.json'), 'utf8'));
      const headers = Object.fromEntries(
        hh.headers
          .filter((h: string[]) => h[0] !== 'Forward-To')
          .map((h: string[]) => [h[0], h[1].replace('artifact/1', offered.artifact.iri.replace(/^.*\/artifact\//, 'artifact/'))]),
      );
      headers['IDS-RequestedArtifact'] = offered.artifact.iri;
      const hres = await send('POST', `${provider.baseUrl}/data`, { body: hh.body, headers });
      assert.equal(hres.status, 200);
      assert.equal(hres.headers['ids-messagetype'], 'ids:RejectionMessage');
      assert.equal(hres.headers['ids-rejectionreason'], 'https://w3id.org/idsa/code/NOT_AUTHORIZED');
      assert.equal(
        hres.headers['ids-correlationmessage'],
        'https://w3id.org/idsa/autogen/ArtifactRequestMessage/e5939da0-7240-499b-ac1b-2c6ac5718933',
      );
      assert.match(hres.text, /no contract agreement/);

      const payloads = JSON.parse(readFileSync(vector('true-connector', 'contract-request-agreement.payloads.json'), 'utf8'));
      const request = formBody(idsHeader('ids:ContractRequestMessage'), JSON.stringify(payloads.contractRequestPayload));
      const cres = parseReply((await send('POST', `${provider.baseUrl}/data`, request)).text);
      assert.equal(cres.header['@type'], 'ids:ContractRejectionMessage', "TRUE's example requests an offer this provider does not have");
      assert.match(cres.payload!, /no contract offer/);
    },
  );

  it(
    "answers the information model's own example message (flattened @graph) with the right rejection",
    needsVectors('the v4.1.0 example message'),
    async () => {
      const example = readFileSync(vector('ids-infomodel', 'v4.1.0', 'examples', 'CONNECTOR_UPDATE_MESSAGE.jsonld'), 'utf8');
      const reply = parseReply((await send('POST', `${provider.baseUrl}/data`, formBody(example))).text);
      assert.equal(reply.header['@type'], 'ids:RejectionMessage');
      // Parsed (token found in the graph, correlated), but this connector is no broker.
      assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/MESSAGE_TYPE_NOT_SUPPORTED');
      assert.deepEqual(reply.header['ids:correlationMessage'], { '@id': 'https://aastat.gov.de/message/inter1' });
      assert.deepEqual(reply.header['ids:recipientConnector'], [{ '@id': 'https://aastat.gov.de/connector/conn2/' }]);
    },
  );

  it(
    'parses the information model 4.2.0 example message (dct:issued): a correlated answer, not MALFORMED_MESSAGE',
    needsVectors('the v4.2.0 example message'),
    async () => {
      // Hardening finding 17: 4.2.x is announced inbound, but its own example was refused with "ids:issued: is required".
      const example = readFileSync(vector('ids-infomodel', 'v4.2.0', 'examples', 'CONNECTOR_UPDATE_MESSAGE.jsonld'), 'utf8');
      assert.match(example, /"dct:issued"/);
      const reply = parseReply((await send('POST', `${provider.baseUrl}/data`, formBody(example))).text);
      assert.equal(reply.header['@type'], 'ids:RejectionMessage');
      assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/MESSAGE_TYPE_NOT_SUPPORTED');
      assert.deepEqual(reply.header['ids:correlationMessage'], { '@id': 'https://aastat.gov.de/message/inter1' });
      // The same message as a description request is answered.
      const asked = JSON.parse(
        example
          .replace('"ids:ConnectorUpdateMessage"', '"ids:DescriptionRequestMessage"')
          .replace('https://aastat.gov.de/message/inter1', 'https://aastat.gov.de/message/inter2'),
      );
      const described = parseReply((await send('POST', `${provider.baseUrl}/data`, formBody(asked))).text);
      assert.equal(described.header['@type'], 'ids:DescriptionResponseMessage');
    },
  );

  it('accepts un-prefixed keys with the IDS context URL, never fetching it', async () => {
    const header = {
      '@context': 'https://w3id.org/idsa/contexts/context.jsonld',
      '@type': 'DescriptionRequestMessage',
      '@id': 'https://example.org/msg/1',
      modelVersion: '4.1.0',
      issued: '2021-06-20T09:43:49Z',
      issuerConnector: 'https://example.org/connector',
      senderAgent: 'https://example.org/connector',
      securityToken: { '@type': 'DynamicAttributeToken', tokenValue: 'DummyTokenValue', tokenFormat: 'idsc:JWT' },
    };
    const reply = parseReply((await send('POST', `${provider.baseUrl}/data`, formBody(header))).text);
    assert.equal(reply.header['@type'], 'ids:DescriptionResponseMessage');
    assert.deepEqual(reply.header['ids:recipientConnector'], [{ '@id': 'https://example.org/connector' }]);
    const other = { ...header, '@context': 'https://evil.example/context.jsonld' };
    const refused = parseReply((await send('POST', `${provider.baseUrl}/data`, formBody(other))).text);
    assert.equal(refused.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/MALFORMED_MESSAGE');
    assert.match(refused.payload!, /remote JSON-LD context https:\/\/evil\.example/);
  });
});
