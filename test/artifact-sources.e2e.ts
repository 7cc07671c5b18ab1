import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { makePki } from './support/pki.fixture.js';
import { startTestApp, type TestApp } from './support/test-app.js';

type Json = Record<string, any>;

describe('artifacts with an https source behind an operator CA (e2e)', () => {
  let server: Server;
  let url: string;
  let caFile: string;
  const body = JSON.stringify({ zone: 'hall-3', occupancy: 17 });

  before(async () => {
    const pki = makePki(['source']);
    caFile = pki.caFile;
    const source = pki.parties['source'];
    server = createServer({ key: source.keyPem, cert: source.certPem }, (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/occupancy.json`;
  });
  after(() => server.close());

  const serve = async (t: TestApp): Promise<{ status: number; text: string }> => {
    const rep = (
      await t.call('POST', '/api/representations', {
        json: { resourceId: (await t.call('POST', '/api/resources', { json: { title: 'remote' } })).json<Json>().id },
      })
    ).json<Json>();
    const artifact = (
      await t.call('POST', '/api/artifacts', { json: { representationId: rep.id, sourceType: 'http', sourceLocation: url } })
    ).json<Json>();
    return t.call('GET', `/api/artifacts/${artifact.id}/data`);
  };

  it('is fetched trusting FEP_TRUSTSTORE, and refused without it', async () => {
    const trusting = await startTestApp({ FEP_TRUSTSTORE: caFile });
    const plain = await startTestApp();
    try {
      const ok = await serve(trusting);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.text, body);
      const refused = await serve(plain);
      assert.ok(refused.status >= 500 && refused.status < 600, `${refused.status} ${refused.text}`);
    } finally {
      await trusting.close();
      await plain.close();
    }
  });
});
