import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { send } from '../../../test/support/http.client.js';
import { FrontRoutes } from './tuned-express.adapter.js';

/** One request to `server`; resolves with the body (which says who answered). */
async function call(server: Server, method: string, path: string): Promise<string> {
  const { port } = server.address() as AddressInfo;
  return (await send(method, `http://127.0.0.1:${port}${path}`)).text;
}

describe('front routes: answered before Express, everything else falls through to it (real HTTP on 127.0.0.1)', () => {
  let server: Server;

  before(async () => {
    const front = new FrontRoutes();
    front.add('POST', '/data', (req, res) => res.end(`front ${req.url}`));
    server = createServer(front.listener((req, res) => res.end(`fallback ${req.method} ${req.url}`)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('serves its method and exact path, with or without a query string', async () => {
    assert.equal(await call(server, 'POST', '/data'), 'front /data');
    assert.equal(await call(server, 'POST', '/data?x=1'), 'front /data?x=1');
  });

  it('leaves another method, path or spelling to the fallback', async () => {
    assert.equal(await call(server, 'GET', '/data'), 'fallback GET /data');
    assert.equal(await call(server, 'POST', '/data/'), 'fallback POST /data/');
    assert.equal(await call(server, 'POST', '/DATA'), 'fallback POST /DATA');
    assert.equal(await call(server, 'POST', '/data-x'), 'fallback POST /data-x');
    assert.equal(await call(server, 'POST', '/'), 'fallback POST /');
  });

  it('with no route, every request is the fallback’s', async () => {
    const bare = createServer(new FrontRoutes().listener((_req, res) => res.end('fallback')));
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      assert.equal(await call(bare, 'POST', '/data'), 'fallback');
    } finally {
      await new Promise<void>((resolve) => bare.close(() => resolve()));
    }
  });
});
