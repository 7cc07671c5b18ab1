import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
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
  const type = pick([
    'ids:DescriptionRequestMessage',
    'ids:ArtifactRequestMessage',
    'ids:ContractRequestMessage',
    'ids:ContractAgreementMessage',
  ]);
  const header: Json = idsHeader(
    type,
    type === 'ids:ArtifactRequestMessage' ? { 'ids:requestedArtifact': { '@id': 'https://x.example/a/1' } } : {},
  );
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
        : {
            kind: 'huge part headers',
            headers: { 'content-type': 'multipart/form-data; boundary=zz' },
            body: `--zz\r\nX-Pad: ${'p'.repeat(40_000)}\r\n\r\n{}\r\n--zz--\r\n`,
          };
    }
    case 5: {
      // wrong content types
      return {
        kind: 'wrong content type',
        headers: {
          'content-type': pick(['application/json', 'text/html', 'application/xml', 'image/png', 'application/x-www-form-urlencoded']),
        },
        body: random() < 0.5 ? JSON.stringify(header) : 'a=b&c=d',
      };
    }
    case 6: {
      // http-header transport with junk values, or huge HTTP headers
      if (random() < 0.3) {
        return {
          kind: 'huge HTTP header',
          headers: { 'IDS-Messagetype': type, 'IDS-SecurityToken-TokenValue': 'T'.repeat(20_000) },
          body: '',
        };
      }
      return {
        kind: 'junk IDS-* headers',
        headers: {
          'IDS-Messagetype': pick([type, '', '::', 'ids:', '<script>']),
          'IDS-Id': pick(['', 'x', randomUUID()]),
          'IDS-ModelVersion': pick(['', '4', '4.2.7', 'abc']),
          'IDS-Issued': pick(['yesterday', '', '2021-13-45']),
          'IDS-IssuerConnector': pick(['', ' ', 'urn:x']),
        },
        body: 'payload',
      };
    }
    default: {
      // random bytes, optionally with a multipart content type
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 4096) }, () => Math.floor(random() * 256)));
      return {
        kind: 'random bytes',
        headers: { 'content-type': random() < 0.5 ? 'multipart/mixed; boundary=q' : 'application/octet-stream' },
        body: random() < 0.3 ? Buffer.concat([Buffer.from('--q\r\n'), bytes]) : bytes,
      };
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
      const res = await send('POST', `${t.baseUrl}/data`, { headers: c.headers, body: c.body }).catch(
        (e: Error): Pick<HttpResponse, 'status' | 'text' | 'headers'> => ({ status: -1, text: e.message, headers: {} }),
      );
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

/** A request written byte by byte on a raw socket, so it can be cut wherever a careless or hostile client cuts it. */
function rawExchange(
  port: number,
  pieces: (string | Buffer)[],
  after: 'destroy' | 'wait',
  waitMs = 200,
): Promise<{ response: string; closedByServer: boolean; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let response = '';
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ response, closedByServer, ms: Date.now() - started });
    };
    socket.on('data', (chunk: Buffer) => (response += chunk.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      void (async () => {
        for (const piece of pieces) {
          socket.write(piece);
          await new Promise((r) => setTimeout(r, 20));
        }
        if (after === 'destroy') setTimeout(() => finish(false), waitMs);
        else setTimeout(() => finish(false), waitMs);
      })();
    });
  });
}

const httpHead = (headers: Record<string, string>): string =>
  `POST /data HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n`;

function idsHeaderFields(): Record<string, string> {
  return {
    'IDS-Messagetype': 'ids:DescriptionRequestMessage',
    'IDS-Id': `https://x.example/msg/${randomUUID()}`,
    'IDS-ModelVersion': '4.2.7',
    'IDS-Issued': new Date().toISOString(),
    'IDS-IssuerConnector': 'https://x.example/c',
    'IDS-SenderAgent': 'https://x.example/c',
    'IDS-SecurityToken-TokenValue': 'DummyTokenValue',
  };
}

/** The three transports, each as: HTTP headers and the body bytes. */
function transportsOf(): { name: string; headers: Record<string, string>; body: string }[] {
  const header = idsHeader('ids:DescriptionRequestMessage');
  const form = formBody(header, '{"a":1}');
  const b = `m${randomUUID()}`;
  const mixed = `--${b}\nContent-Disposition: form-data; name="header"\nContent-Type: application/ld+json\n\n${JSON.stringify(header)}\n--${b}\nContent-Disposition: form-data; name="payload"\n\n{"a":1}\n--${b}--\n`;
  return [
    { name: 'form', headers: form.headers, body: form.body },
    { name: 'mixed', headers: { 'content-type': `multipart/mixed; boundary=${b}` }, body: mixed },
    {
      name: 'http-header',
      headers: { ...idsHeaderFields(), 'content-type': 'application/json' },
      body: '{"payload":"'.padEnd(400, 'p') + '"}',
    },
  ];
}

describe("stream faults on /data in every transport: each is that request's problem, the server keeps answering (e2e)", () => {
  let t: TestApp;
  let port: number;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

  before(async () => {
    process.on('unhandledRejection', onUnhandled);
    // Short limits, so the never-ending body is cut within the test's time.
    t = await startTestApp({ FEP_HEADERS_TIMEOUT_MS: '800', FEP_REQUEST_TIMEOUT_MS: '1500', FEP_IDLE_TIMEOUT_MS: '3000' });
    port = Number(new URL(t.baseUrl).port);
  });
  after(async () => {
    process.off('unhandledRejection', onUnhandled);
    await t.close();
  });

  const stillServing = async (label: string): Promise<void> => {
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(unhandled.map(String), [], `${label}: no unhandled rejection (one would have stopped the process)`);
    const alive = await t.call('GET', '/', { admin: false });
    assert.equal(alive.status, 200, `${label}: the self-description still answers`);
    const ids = await send('POST', `${t.baseUrl}/data`, formBody(idsHeader('ids:DescriptionRequestMessage')));
    assert.match(ids.text, /ids:DescriptionResponseMessage/, `${label}: IDS messages are still handled`);
  };

  for (const transport of transportsOf()) {
    const full = Buffer.from(transport.body);
    it(`${transport.name}: a body shorter than its Content-Length, then a closed connection`, async () => {
      // Hardening finding 1, as reported: Content-Length 100 and 10 bytes on http-header stopped the process.
      await rawExchange(
        port,
        [httpHead({ ...transport.headers, 'content-length': String(full.length + 100) }), full.subarray(0, 10)],
        'destroy',
      );
      await rawExchange(
        port,
        [httpHead({ ...transport.headers, 'content-length': String(full.length) }), full.subarray(0, Math.floor(full.length / 2))],
        'destroy',
      );
      await stillServing(`${transport.name} truncated`);
    });

    it(`${transport.name}: aborts in the middle of the HTTP headers, of the IDS header and of the payload`, async () => {
      const head = httpHead({ ...transport.headers, 'content-length': String(full.length) });
      await rawExchange(port, [head.slice(0, Math.floor(head.length / 2))], 'destroy');
      const headerEnd = transport.name === 'http-header' ? 20 : transport.body.indexOf('"ids:issued"');
      await rawExchange(port, [head, full.subarray(0, headerEnd)], 'destroy');
      const payloadAt = transport.name === 'http-header' ? full.length - 5 : transport.body.lastIndexOf('{"a"') + 3;
      await rawExchange(port, [head, full.subarray(0, payloadAt)], 'destroy');
      await stillServing(`${transport.name} aborted`);
    });

    it(`${transport.name}: broken chunked encoding`, async () => {
      const head = httpHead({ ...transport.headers, 'transfer-encoding': 'chunked' });
      const first = full.subarray(0, 40);
      const res = await rawExchange(port, [head, `${first.length.toString(16)}\r\n`, first, '\r\nzz-not-a-size\r\n', 'x\r\n'], 'wait', 500);
      assert.ok(!/ 5\d\d /.test(res.response.split('\r\n')[0] ?? ''), `no 5xx: ${res.response.slice(0, 80)}`);
      await rawExchange(port, [head, '7fffffff\r\n', first], 'destroy');
      await stillServing(`${transport.name} bad chunking`);
    });

    it(`${transport.name}: a body that never ends is cut off by FEP_REQUEST_TIMEOUT_MS`, async () => {
      const head = httpHead({ ...transport.headers, 'transfer-encoding': 'chunked' });
      const first = full.subarray(0, 40);
      const res = await rawExchange(port, [head, `${first.length.toString(16)}\r\n`, first, '\r\n'], 'wait', 6000);
      assert.ok(res.closedByServer, 'the server closed the connection');
      assert.ok(res.ms < 5000, `within the request timeout and its checking interval: ${res.ms} ms`);
      await stillServing(`${transport.name} never-ending body`);
    });
  }
});

describe('slow clients: header and request timeouts (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ FEP_HEADERS_TIMEOUT_MS: '1000', FEP_KEEPALIVE_TIMEOUT_MS: '2000' });
  });
  after(async () => t.close());

  it('closes 200 connections that trickle header lines, while a keep-alive client that behaves keeps its connection', async () => {
    // Hardening finding 4: such sockets were held for 30 s and more.
    const port = Number(new URL(t.baseUrl).port);
    const tricklers = Array.from({ length: 200 }, () => {
      const socket = connect(port, '127.0.0.1');
      const started = Date.now();
      socket.on('error', () => undefined);
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
      const timer = setInterval(() => socket.write(`X-Trickle-${Math.random().toString(36).slice(2)}: 1\r\n`), 200);
      return new Promise<number>((resolve) =>
        socket.on('close', () => {
          clearInterval(timer);
          resolve(Date.now() - started);
        }),
      );
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let reused = 0;
    for (let i = 0; i < 10; i++) {
      const res = await new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = request(`${t.baseUrl}/`, { agent }, (r) => {
          r.resume();
          r.on('end', () => resolve({ status: r.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(res.status, 200);
      if (res.reused) reused++;
      await new Promise((r) => setTimeout(r, 300));
    }
    agent.destroy();
    const held = await Promise.all(tricklers);
    assert.ok(
      Math.max(...held) < 4000,
      `every trickling connection was closed within the headers timeout (longest ${Math.max(...held)} ms)`,
    );
    assert.ok(Math.min(...held) >= 900, 'none before it');
    assert.equal(reused, 9, 'the well-behaved client kept its one connection for 3 s');
  });
});

describe('oversized and many-part bodies on /data (e2e)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  /** Sends `body` in one request and reads the whole reply: what a client gets, or the socket error it met. */
  const post = (
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<{ status: number; text: string; headers: Record<string, unknown> } | { error: string }> =>
    new Promise((resolve) => {
      const req = request(
        `${t.baseUrl}/data`,
        { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), headers: res.headers }));
          res.on('error', (error) => resolve({ error: error.message }));
        },
      );
      req.on('error', (error) => resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }));
      req.end(body);
    });

  it('a 17 MB message gets its rejection in every transport, read to the end, never a reset', async () => {
    // Hardening round 3, finding 14: on http-header the connection was reset before the client read the rejection.
    const payload = Buffer.alloc(17 * 1024 * 1024, 0x61);
    for (const transport of transportsOf()) {
      let headers = transport.headers;
      let body: Buffer;
      if (transport.name === 'http-header') {
        headers = { ...idsHeaderFields(), 'content-type': 'application/octet-stream' };
        body = payload;
      } else {
        const at = transport.body.indexOf('{"a":1}');
        body = Buffer.concat([Buffer.from(transport.body.slice(0, at)), payload, Buffer.from(transport.body.slice(at + 7))]);
      }
      const reply = await post(headers, body);
      assert.ok(!('error' in reply), `${transport.name}: ${'error' in reply ? reply.error : ''}`);
      assert.equal(reply.status, 200, transport.name);
      assert.match(reply.text + JSON.stringify(reply.headers), /RejectionMessage/, transport.name);
      assert.match(reply.text + JSON.stringify(reply.headers), /BAD_PARAMETERS|NOT_AUTHENTICATED|MALFORMED_MESSAGE/, transport.name);
    }
  });

  it('a body of 100,000 empty parts is refused by its part count, before the parts are read', async () => {
    // Hardening round 3, finding 13: each part cost a scan of its headers (about 400 ms of CPU per request).
    const b = 'bnd';
    const header = JSON.stringify(idsHeader('ids:DescriptionRequestMessage'));
    const body = Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="header"\r\n\r\n${header}\r\n` +
        `--${b}\r\n\r\n\r\n`.repeat(100_000) +
        `--${b}--\r\n`,
    );
    const cpu = process.cpuUsage();
    const reply = await post({ 'content-type': `multipart/form-data; boundary=${b}` }, body);
    const used = process.cpuUsage(cpu);
    assert.ok(!('error' in reply), 'error' in reply ? reply.error : '');
    assert.match(reply.text, /MALFORMED_MESSAGE/);
    assert.match(reply.text, /more than 16 parts/);
    console.log(
      `# 100,000 empty parts: refused with ${((used.user + used.system) / 1000).toFixed(0)} ms of CPU (client and server in this process)`,
    );
  });
});
