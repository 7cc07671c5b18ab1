import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { HttpResponse } from './support/http.client.js';
import { formBody, idsHeader, offerArtifact, parseReply } from './support/ids.fixtures.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;

describe('trust: DAT obtained from and verified against an Omejdn-speaking DAPS (e2e)', () => {
  let daps: TestDaps;
  let provider: TestApp;
  let consumer: TestApp;
  let pki: ReturnType<typeof makePki>;
  let p: Party;
  let c: Party;
  let resourceIri: string;

  before(async () => {
    daps = await TestDaps.start();
    pki = makePki(['provider', 'consumer', 'stranger']);
    p = pki.parties['provider']!;
    c = pki.parties['consumer']!;
    register(daps, p, 'idsc:TRUST_SECURITY_PROFILE');
    register(daps, c, 'idsc:TRUST_SECURITY_PROFILE');
    // The provider asks for client certificates (want) and accepts trust and above.
    provider = await startTestApp(
      omejdnEnv(p, pki.caFile, daps, { FEP_TLS_CLIENT_AUTH: 'want', FEP_SECURITY_PROFILE_MIN: 'TRUST_SECURITY_PROFILE' }),
    );
    consumer = await startTestApp(omejdnEnv(c, pki.caFile, daps));
    resourceIri = (await offerArtifact(provider, Buffer.from('{"ok":1}'))).resource.iri;
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await daps.stop();
  });

  it('obtains a DAT as Omejdn expects (discovered endpoint, client assertion, scope) and caches it', async () => {
    const described = await consumer.call('POST', '/api/consumer/describe', {
      json: { url: `${provider.baseUrl}/data`, elementId: resourceIri },
    });
    assert.equal(described.status, 200, described.text);
    const form = daps.tokenRequests.at(-1)!;
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    assert.equal(form.get('scope'), 'idsc:IDS_CONNECTOR_ATTRIBUTES_ALL');
    const assertion = daps.assertions.find((a) => a['sub'] === c.clientId)!;
    assert.equal(assertion['iss'], c.clientId);
    assert.match(String(assertion['iss']), /^([0-9A-F]{2}:)+keyid:([0-9A-F]{2}:)*[0-9A-F]{2}$/);
    assert.equal(assertion['aud'], 'idsc:IDS_CONNECTORS_ALL');
    assert.equal(Number(assertion['exp']) - Number(assertion['iat']), 60);
    assert.ok(assertion['jti']);
    // Both connectors fetched one token (the consumer for its request, the provider for its reply).
    assert.deepEqual(new Set(daps.assertions.map((a) => a['sub'])), new Set([c.clientId, p.clientId]));
    const afterFirst = daps.tokenRequests.length;
    const again = await consumer.call('POST', '/api/consumer/describe', {
      json: { url: `${provider.baseUrl}/data`, elementId: resourceIri },
    });
    assert.equal(again.status, 200);
    assert.equal(daps.tokenRequests.length, afterFirst, 'the cached tokens are reused');
  });

  /** A DescriptionRequestMessage with `token`, over HTTPS presenting `party`'s certificate (or none). */
  async function ask(
    token: string | undefined,
    party: Party | undefined = c,
    id?: string,
    issued?: string,
  ): Promise<{ res: HttpResponse; reply: ReturnType<typeof parseReply> }> {
    const header = idsHeader('ids:DescriptionRequestMessage', {
      'ids:issuerConnector': { '@id': c.connectorId },
      ...(id ? { '@id': id } : {}),
      ...(issued ? { 'ids:issued': { '@value': issued, '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' } } : {}),
    });
    if (token === undefined) delete header['ids:securityToken'];
    else header['ids:securityToken']['ids:tokenValue'] = token;
    const { body, headers } = formBody(header);
    const tls = party ? { key: party.keyPem, cert: party.certPem } : {};
    const res = await sendTls(`${provider.baseUrl}/data`, headers, body, pki.caPem, tls);
    return { res, reply: parseReply(res.text) };
  }

  function expectRejected(outcome: { reply: ReturnType<typeof parseReply> }, check: string): void {
    assert.equal(outcome.reply.header['@type'], 'ids:RejectionMessage', outcome.reply.payload);
    assert.equal(outcome.reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/NOT_AUTHENTICATED');
    assert.ok(outcome.reply.payload!.startsWith(`DAT check failed: ${check}: `), outcome.reply.payload);
  }

  const now = (): number => Math.floor(Date.now() / 1000);

  it('accepts a valid token over mutual TLS (the control case)', async () => {
    const { reply } = await ask(await daps.mint(c.clientId));
    assert.equal(reply.header['@type'], 'ids:DescriptionResponseMessage');
  });
  it('accepts the legacy AISEC v2 token shape (scopes array, aud string)', async () => {
    const { reply } = await ask(
      await daps.mint(c.clientId, {
        scope: undefined,
        scopes: ['idsc:IDS_CONNECTOR_ATTRIBUTES_ALL'],
        aud: 'idsc:IDS_CONNECTORS_ALL',
        client_id: undefined,
      }),
    );
    assert.equal(reply.header['@type'], 'ids:DescriptionResponseMessage', reply.payload);
  });
  it('NOT_AUTHENTICATED: expired', async () => expectRejected(await ask(await daps.mint(c.clientId, { exp: now() - 3600 })), 'exp'));
  it('NOT_AUTHENTICATED: not yet valid', async () => expectRejected(await ask(await daps.mint(c.clientId, { nbf: now() + 3600 })), 'nbf'));
  it('NOT_AUTHENTICATED: wrong issuer', async () =>
    expectRejected(await ask(await daps.mint(c.clientId, { iss: 'https://evil.example/auth' })), 'iss'));
  it('NOT_AUTHENTICATED: wrong audience', async () =>
    expectRejected(await ask(await daps.mint(c.clientId, { aud: ['idsc:SOMEONE_ELSE'] })), 'aud'));
  it('NOT_AUTHENTICATED: bad signature', async () => expectRejected(await ask(await daps.mint(c.clientId, {}, 'foreign')), 'signature'));
  it('NOT_AUTHENTICATED: unknown key', async () =>
    expectRejected(await ask(await daps.mint(c.clientId, {}, 'foreign', 'no-such-kid')), 'kid'));
  it('NOT_AUTHENTICATED: security profile below the minimum', async () =>
    expectRejected(await ask(await daps.mint(c.clientId, { securityProfile: 'idsc:BASE_SECURITY_PROFILE' })), 'securityProfile'));
  it('NOT_AUTHENTICATED: referring connector is not the issuer connector', async () =>
    expectRejected(
      await ask(await daps.mint(c.clientId, { referringConnector: 'https://other.example/connector' })),
      'referringConnector',
    ));
  it('NOT_AUTHENTICATED: the TLS client certificate is not the one bound to the token', async () => {
    const stranger = pki.parties['stranger'];
    expectRejected(await ask(await daps.mint(c.clientId), stranger), 'transportCertsSha256');
  });
  it('NOT_AUTHENTICATED: missing token', async () => {
    const { reply } = await ask(undefined);
    assert.equal(reply.header['ids:rejectionReason']['@id'], 'https://w3id.org/idsa/code/NOT_AUTHENTICATED');
    assert.match(reply.payload!, /ids:securityToken with an ids:tokenValue is required/);
  });
  it('NOT_AUTHENTICATED: a replayed message', async () => {
    const token = await daps.mint(c.clientId);
    const id = `https://w3id.org/idsa/autogen/message/replay-${now()}`;
    const issued = new Date().toISOString();
    assert.equal((await ask(token, c, id, issued)).reply.header['@type'], 'ids:DescriptionResponseMessage');
    expectRejected(await ask(token, c, id, issued), 'replay');
    // A sender's retry keeps the @id and is issued anew (delivery and clearing-house outboxes do so): not a replay.
    const retry = await ask(token, c, id, new Date(Date.now() + 1000).toISOString());
    assert.equal(retry.reply.header['@type'], 'ids:DescriptionResponseMessage', retry.reply.payload);
  });

  it('follows a DAPS key rotation without a restart', async () => {
    await daps.rotate();
    await new Promise((r) => setTimeout(r, 2100)); // the JWKS refetch is rate-limited (2 s)
    const { reply } = await ask(await daps.mint(c.clientId));
    assert.equal(reply.header['@type'], 'ids:DescriptionResponseMessage', reply.payload);
  });

  it('a DAPS that is down fails the outbound call clearly, and no placeholder is sent', async () => {
    let hits = 0;
    const target = createServer((_req, res) => {
      hits++;
      res.end();
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
    const fresh = await startTestApp(omejdnEnv(pki.parties['stranger'], pki.caFile, daps));
    await daps.stop();
    try {
      const res = await fresh.call('POST', '/api/consumer/describe', {
        json: { url: `http://127.0.0.1:${(target.address() as AddressInfo).port}/data` },
      });
      assert.equal(res.status, 503, res.text);
      assert.match(res.json<Json>().message, /DAPS .* unreachable|the DAPS/);
      assert.equal(hits, 0, 'nothing was sent without a token');
    } finally {
      await daps.restart();
      await fresh.close();
      target.close();
    }
  });

  it("takes a TRUE peer's dummy-token rejection as a rejection, but refuses any other unsigned reply", async () => {
    const truePeer = await startTestApp({ FEP_DAPS_MODE: 'disabled' });
    try {
      const rejected = await consumer.call('POST', '/api/consumer/fetch', {
        json: { url: `${truePeer.baseUrl}/data`, artifact: 'urn:none', agreement: 'urn:none' },
      });
      assert.equal(rejected.status, 502);
      assert.match(rejected.json<Json>().message, /rejected the message: NOT_FOUND/);
      const unsigned = await consumer.call('POST', '/api/consumer/describe', { json: { url: `${truePeer.baseUrl}/data` } });
      assert.equal(unsigned.status, 502);
      assert.match(unsigned.json<Json>().message, /failed verification: DAT check failed: format/);
    } finally {
      await truePeer.close();
    }
  });

  it('reaches a DAPS behind the operator CA over HTTPS through FEP_TRUSTSTORE alone', async () => {
    const tlsPki = makePki(['daps', 'edge-a', 'edge-b']);
    const secure = await TestDaps.start({ key: tlsPki.parties['daps'].keyPem, cert: tlsPki.parties['daps'].certPem });
    register(secure, tlsPki.parties['edge-a']);
    register(secure, tlsPki.parties['edge-b']);
    const a = await startTestApp(omejdnEnv(tlsPki.parties['edge-a'], tlsPki.caFile, secure));
    const b = await startTestApp(omejdnEnv(tlsPki.parties['edge-b'], tlsPki.caFile, secure));
    try {
      assert.ok(secure.url.startsWith('https://'));
      const res = await a.call('POST', '/api/consumer/describe', { json: { url: `${b.baseUrl}/data` } });
      assert.equal(res.status, 200, res.text);
      assert.equal(secure.assertions.length, 2, 'both got their token (and b its JWKS) over HTTPS');
    } finally {
      await a.close();
      await b.close();
      await secure.stop();
    }
  });

  it('a DAPS that refuses the client (Omejdn "Client unknown") fails the call with that reason', async () => {
    const stranger = await startTestApp(omejdnEnv(pki.parties['stranger'], pki.caFile, daps));
    try {
      const res = await stranger.call('POST', '/api/consumer/describe', { json: { url: `${provider.baseUrl}/data` } });
      // A configuration error (hardening finding 18): it names the client id that was sent and what to do.
      assert.equal(res.status, 500);
      assert.match(res.text, /Client unknown/);
      assert.ok(res.text.includes(pki.parties['stranger'].clientId), res.text);
      assert.match(res.text, /Register this connector at that DAPS/);
    } finally {
      await stranger.close();
    }
  });
});

/** HTTPS POST with an optional client certificate. */
async function sendTls(
  url: string,
  headers: Record<string, string>,
  body: string,
  ca: string,
  tls: { key?: string; cert?: string },
): Promise<HttpResponse> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, ca, ...tls }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: buf,
          text: buf.toString(),
          json: <T>() => JSON.parse(buf.toString()) as T,
        });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
