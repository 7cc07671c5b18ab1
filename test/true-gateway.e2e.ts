import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { AgreementRepository } from '../src/contracts/agreement.repository.js';
import { send } from './support/http.client.js';
import { fixtureAgreement, formBody, idsHeader, offerArtifact, parseReply } from './support/ids.fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { needsVectors, vector } from './support/vectors.js';

type Json = Record<string, any>;
const IDS_USER = 'Basic ' + Buffer.from('idsUser:password').toString('base64');

describe("TRUE's gateway for its external data apps: /incoming-data-app/* forwards their messages (e2e)", () => {
  let provider: TestApp;
  let consumer: TestApp;
  let artifact: Json;
  const bytes = Buffer.from('{"firstName":"John","lastName":"Doe"}');
  // The TRUE examples name this agreement and this issuer: the provider gets them as fixture.
  const agreementIri = 'https://w3id.org/idsa/autogen/contractAgreement/39f9cc50-5d9b-4d12-80dc-23e03f3cc1f8';

  before(async () => {
    provider = await startTestApp();
    consumer = await startTestApp({ FEP_DATA_APP_USER: 'idsUser', FEP_DATA_APP_PASSWORD: 'password' });
    ({ artifact } = await offerArtifact(provider, bytes));
    await provider.app.get(AgreementRepository).save(fixtureAgreement(agreementIri, 'http://w3id.org/engrd/connector/', [artifact.iri]));
  });
  after(async () => {
    await consumer.close();
    await provider.close();
  });

  const forward = (path: string, headers: Record<string, string>, body: string): ReturnType<typeof send> =>
    send('POST', `${consumer.baseUrl}/incoming-data-app/${path}`, {
      headers: { authorization: IDS_USER, 'forward-to': `${provider.baseUrl}/data`, ...headers },
      body,
    });

  it(
    "multipartMessageBodyBinary: TRUE's mixed example (LF lines, text/plain) comes back as mixed with the bytes",
    needsVectors("TRUE's mixed example"),
    async () => {
      const example = JSON.parse(readFileSync(vector('true-connector', 'artifact-request.multipart-mixed.json'), 'utf8'));
      const body = (example.body as string).replace('http://w3id.org/engrd/connector/artifact/1', artifact.iri);
      const res = await forward('multipartMessageBodyBinary', { 'content-type': 'text/plain' }, body);
      assert.equal(res.status, 200, res.text);
      assert.match(String(res.headers['content-type']), /^multipart\/mixed/);
      const reply = parseReply(res.text);
      assert.equal(reply.header['@type'], 'ids:ArtifactResponseMessage', res.text);
      assert.deepEqual(reply.header['ids:transferContract'], { '@id': agreementIri });
      assert.equal(reply.payload, bytes.toString());
    },
  );

  it(
    "multipartMessageHttpHeader: TRUE's http-header example comes back as IDS-* headers and the bytes",
    needsVectors("TRUE's http-header example"),
    async () => {
      const example = JSON.parse(readFileSync(vector('true-connector', 'artifact-request.http-header.json'), 'utf8'));
      const headers: Record<string, string> = Object.fromEntries(
        example.headers.filter((h: string[]) => !['Forward-To', 'Authorization'].includes(h[0])),
      );
      headers['IDS-RequestedArtifact'] = artifact.iri;
      const res = await forward('multipartMessageHttpHeader', headers, example.body);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['ids-messagetype'], 'ids:ArtifactResponseMessage');
      assert.equal(res.headers['ids-transfercontract'], agreementIri);
      assert.equal(res.text, bytes.toString());
    },
  );

  it('multipartMessageBodyFormData: a rejection from the provider comes back as the provider sent it', async () => {
    const res = await forward('multipartMessageBodyFormData', {}, '');
    const request = formBody(idsHeader('ids:ArtifactRequestMessage', { 'ids:requestedArtifact': { '@id': artifact.iri } }));
    const rejected = await forward('multipartMessageBodyFormData', request.headers, request.body);
    const reply = parseReply(rejected.text);
    assert.equal(reply.header['@type'], 'ids:RejectionMessage');
    assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/NOT_AUTHORIZED');
    assert.deepEqual(reply.header['ids:issuerConnector'], { '@id': provider.config.connector.id });
    assert.equal(
      parseReply(res.text).header['ids:rejectionReason']['@id'],
      'https://w3id.org/idsa/code/MALFORMED_MESSAGE',
      'an empty body is refused by the consumer itself',
    );
  });

  it("needs the gateway user (TRUE's idsUser), and a Forward-To", async () => {
    const request = formBody(idsHeader('ids:DescriptionRequestMessage'));
    const anonymous = await send('POST', `${consumer.baseUrl}/incoming-data-app/multipartMessageBodyFormData`, {
      headers: { ...request.headers, 'forward-to': `${provider.baseUrl}/data` },
      body: request.body,
    });
    assert.equal(anonymous.status, 401);
    const admin = await send('POST', `${consumer.baseUrl}/incoming-data-app/multipartMessageBodyFormData`, {
      headers: { ...request.headers, ...consumer.auth, 'forward-to': `${provider.baseUrl}/data` },
      body: request.body,
    });
    assert.equal(admin.status, 401, 'the admin user is not the data-app user');
    const noTarget = await send('POST', `${consumer.baseUrl}/incoming-data-app/multipartMessageBodyFormData`, {
      headers: { ...request.headers, authorization: IDS_USER },
      body: request.body,
    });
    const reply = parseReply(noTarget.text);
    assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/BAD_PARAMETERS');
    assert.match(reply.payload!, /Forward-To/);
  });
});
