import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { makePki } from '../../../test/support/pki.fixture.js';
import { httpClient } from './http.client.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** Routes of the test server: what each path answers. */
const routes: Record<string, Handler> = {
  '/echo': (req, res, body) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'] ?? null, body }));
  },
  '/see-other': (_req, res) => res.writeHead(303, { location: '/echo' }).end(),
  '/moved': (_req, res) => res.writeHead(307, { location: '/echo' }).end(),
  '/loop': (_req, res) => res.writeHead(302, { location: '/loop' }).end(),
  '/closing': (_req, res) => res.end('fresh'),
  '/never': () => undefined,
  '/stall': (_req, res) => {
    res.writeHead(200);
    res.write('first piece');
  },
  '/trickle': (_req, res) => {
    res.writeHead(200);
    let n = 0;
    const tick = setInterval(() => {
      res.write(String(n));
      if (++n === 5) {
        clearInterval(tick);
        res.end();
      }
    }, 40);
  },
};

/** Requests each connection has carried: `/closing` answers only the first one on a connection and drops any later one. */
const carried = new WeakMap<object, number>();

function handle(req: IncomingMessage, res: ServerResponse): void {
  const n = (carried.get(req.socket) ?? 0) + 1;
  carried.set(req.socket, n);
  if (req.url === '/closing' && n > 1) {
    req.socket.destroy();
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (body += c));
  req.on('end', () => (routes[req.url ?? ''] ?? ((_q, r) => r.writeHead(404).end('no')))(req, res, body));
}

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(String((server.address() as AddressInfo).port))));

describe('httpClient (unit, real servers on 127.0.0.1)', () => {
  const pki = makePki(['server']);
  const plain = createServer(handle);
  const tls = createHttpsServer({ key: pki.parties['server'].keyPem, cert: pki.parties['server'].certPem }, handle);
  let http = '';
  let https = '';

  before(async () => {
    http = `http://127.0.0.1:${await listen(plain)}`;
    https = `https://127.0.0.1:${await listen(tls)}`;
  });
  after(() => {
    plain.closeAllConnections();
    tls.closeAllConnections();
    plain.close();
    tls.close();
  });

  it('sends a form and reads JSON; headers by any case; a 404 is an answer, not an error', async () => {
    const client = httpClient();
    const echoed = await client(`${http}/echo`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) });
    assert.equal(echoed.ok, true);
    assert.equal(echoed.headers.get('Content-Type'), 'application/json');
    assert.deepEqual(await echoed.json(), { method: 'POST', type: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'a=1&b=x+y' });
    const missing = await client(`${http}/nothing`);
    assert.deepEqual([missing.ok, missing.status, await missing.text()], [false, 404, 'no']);
  });

  it('trusts the CAs it is given, and only those', async () => {
    const echoed = await httpClient({ ca: [pki.caPem] })(`${https}/echo`, { method: 'PUT', body: 'hello' });
    assert.deepEqual(await echoed.json(), { method: 'PUT', type: null, body: 'hello' });
    await assert.rejects(httpClient()(`${https}/echo`), /self-signed|unable to verify|certificate/i);
  });

  it('follows redirects as fetch does (303 turns into a GET, 307 keeps the method and body), or refuses them', async () => {
    const client = httpClient();
    assert.deepEqual(await (await client(`${http}/see-other`, { method: 'POST', body: 'x' })).json(), {
      method: 'GET',
      type: null,
      body: '',
    });
    assert.deepEqual(await (await client(`${http}/moved`, { method: 'POST', body: 'x' })).json(), {
      method: 'POST',
      type: null,
      body: 'x',
    });
    await assert.rejects(client(`${http}/moved`, { redirect: 'error' }), /redirected \(HTTP 307\) and redirects are refused/);
    await assert.rejects(client(`${http}/loop`), /more than 20 redirects/);
    await assert.rejects(client('ftp://127.0.0.1/'), /only http and https/);
  });

  it('times out waiting for an answer and on a stalled body, never on a body that keeps coming; honours an abort signal', async () => {
    const client = httpClient({ connectTimeoutMs: 150, idleTimeoutMs: 150 });
    await assert.rejects(client(`${http}/never`), /no answer from http:\/\/127\.0\.0\.1:\d+ within 150 ms/);
    const stalled = await client(`${http}/stall`);
    await assert.rejects(stalled.text(), /sent nothing for 150 ms/);
    assert.equal(await (await client(`${http}/trickle`)).text(), '01234', 'five pieces 40 ms apart: 200 ms in all, never 150 idle');
    await assert.rejects(httpClient()(`${http}/never`, { signal: AbortSignal.timeout(100) }), /abort/i);
  });

  it('sends a request again on a new connection when the kept-alive one was closed by the server, once', async () => {
    const client = httpClient();
    const posted = (): Promise<string> => client(`${http}/closing`, { method: 'POST', body: 'x' }).then((r) => r.text());
    // The second request goes out on the first one's connection, which the server drops unanswered.
    assert.deepEqual([await posted(), await posted(), await posted()], ['fresh', 'fresh', 'fresh']);
    // A connection refused is not a stale one: it fails at once.
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(client(`http://127.0.0.1:${port}/closing`), /ECONNREFUSED/);
  });
});
