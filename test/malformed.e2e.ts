import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { send, type HttpResponse } from './support/http.client.js';
import { formBody, idsHeader } from './support/ids.fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;

/** Small seeded PRNG (mulberry32) so a failing case can be replayed by its index. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

interface Case {
  kind: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

const JUNK_VALUES = [42, null, true, [], {}, '', 'not an iri', { '@value': 5 }, [{ '@id': 7 }], '\u0000', 'x'.repeat(5000)];

function generate(i: number, random: () => number): Case {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const type = pick(['ids:DescriptionRequestMessage', 'ids:ArtifactRequestMessage', 'ids:ContractRequestMessage', 'ids:ContractAgreementMessage']);
  const header: Json = idsHeader(type, type === 'ids:ArtifactRequestMessage' ? { 'ids:requestedArtifact': { '@id': 'https://x.example/a/1' } } : {});
  const valid = formBody(header, type.startsWith('ids:Contract') ? '{"@type":"ids:ContractRequest"}' : undefined);
  switch (i % 8) {
    case 0: {
      // broken multipart: cut anywhere
      const cut = Math.floor(random() * valid.body.length);
      return { kind: 'truncated multipart', headers: valid.headers, body: valid.body.slice(0, cut) };
    }
    case 1: {
      // broken JSON in the header part
      const json = JSON.stringify(header);
      const at = Math.floor(random() * json.length);
      return { kind: 'broken JSON', ...formBody(json.slice(0, at) + pick(['{', '"', ']', ',', '\\', '}}}']) + json.slice(at)) };
    }
    case 2: {
      // wrong types
      const key = pick(Object.keys(header));
      return { kind: `wrong type of ${key}`, ...formBody({ ...header, [key]: pick(JUNK_VALUES) }) };
    }
    case 3: {
      // missing fields
      const h = { ...header };
      for (const key of Object.keys(h)) if (random() < 0.4) delete h[key];
      return { kind: 'missing fields', ...formBody(h) };
    }
    case 4: {
      // huge header part (not JSON) or huge boundary/part headers
      const size = 1024 * 1024 + Math.floor(random() * 1024 * 1024);
      return random() < 0.5
        ? { kind: 'huge header part', ...formBody('{"a":"' + 'A'.repeat(size)) }
        : { kind: 'huge part headers', headers: { 'content-type': 'multipart/form-data; boundary=zz' }, body: `--zz\r\nX-Pad: ${'p'.repeat(40_000)}\r\n\r\n{}\r\n--zz--\r\n` };
    }
    case 5: {
      // wrong content types
      return { kind: 'wrong content type', headers: { 'content-type': pick(['application/json', 'text/html', 'application/xml', 'image/png', 'application/x-www-form-urlencoded']) }, body: random() < 0.5 ? JSON.stringify(header) : 'a=b&c=d' };
    }
    case 6: {
      // http-header transport with junk values, or huge HTTP headers
      if (random() < 0.3) return { kind: 'huge HTTP header', headers: { 'IDS-Messagetype': type, 'IDS-SecurityToken-TokenValue': 'T'.repeat(20_000) }, body: '' };
      return { kind: 'junk IDS-* headers', headers: { 'IDS-Messagetype': pick([type, '', '::', 'ids:', '<script>']), 'IDS-Id': pick(['', 'x', randomUUID()]), 'IDS-ModelVersion': pick(['', '4', '4.2.7', 'abc']), 'IDS-Issued': pick(['yesterday', '', '2021-13-45']), 'IDS-IssuerConnector': pick(['', ' ', 'urn:x']) }, body: 'payload' };
    }
    default: {
      // random bytes, optionally with a multipart content type
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 4096) }, () => Math.floor(random() * 256)));
      return { kind: 'random bytes', headers: { 'content-type': random() < 0.5 ? 'multipart/mixed; boundary=q' : 'application/octet-stream' }, body: random() < 0.3 ? Buffer.concat([Buffer.from('--q\r\n'), bytes]) : bytes };
    }
  }
}

describe('1,000 generated malformed requests to /data (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('each gets an IDS rejection or a 4xx, never a 500, and the server still answers', async () => {
    const random = prng(20261124);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const c = generate(i, random);
      const res = await send('POST', `${t.baseUrl}/data`, { headers: c.headers, body: c.body }).catch((e: Error): Pick<HttpResponse, 'status' | 'text' | 'headers'> => ({ status: -1, text: e.message, headers: {} }));
      const label = `case ${i} (${c.kind})`;
      assert.ok(res.status > 0, `${label}: connection failed: ${res.text}`);
      assert.ok(res.status < 500, `${label}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
      if (res.status === 200) {
        const type = String(res.headers['ids-messagetype'] ?? /"@type":"(ids:\w+)"/.exec(res.text)?.[1] ?? '');
        assert.match(type, /^ids:\w+Message$/, `${label}: a 200 must carry an IDS message: ${res.text.slice(0, 300)}`);
        outcomes.set(type, (outcomes.get(type) ?? 0) + 1);
      } else {
        outcomes.set(`HTTP ${res.status}`, (outcomes.get(`HTTP ${res.status}`) ?? 0) + 1);
      }
    }
    assert.ok((outcomes.get('ids:RejectionMessage') ?? 0) > 700, JSON.stringify(Object.fromEntries(outcomes)));
    const alive = await t.call('GET', '/', { admin: false });
    assert.equal(alive.status, 200);
  });
});
