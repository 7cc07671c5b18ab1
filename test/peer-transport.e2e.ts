import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('outbound transport per call, per peer (FEP_PEER_TRANSPORTS) or by default (e2e)', () => {
  const seen: IncomingHttpHeaders[] = [];
  const peer = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => res.writeHead(500).end('not an IDS peer'));
  });
  let url: string;
  let consumer: TestApp;

  before(async () => {
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(peer.address() as AddressInfo).port}/data`;
    consumer = await startTestApp({ FEP_PEER_TRANSPORTS: `${url}=mixed`, FEP_IDS_TRANSPORT: 'http-header' });
  });
  after(async () => {
    await consumer.close();
    peer.close();
  });

  it('uses the transport configured for the peer, a per-call one over it, and reports a non-IDS answer clearly', async () => {
    const res = await consumer.call('POST', '/api/consumer/describe', { json: { url } });
    assert.equal(res.status, 502);
    assert.match(res.text, /answered HTTP 500 without an IDS message: not an IDS peer/);
    assert.match(String(seen.at(-1)!['content-type']), /^multipart\/mixed; boundary=/);
    await consumer.call('POST', '/api/consumer/describe', { json: { url, transport: 'form' } });
    assert.match(String(seen.at(-1)!['content-type']), /^multipart\/form-data; boundary=/);
    await consumer.call('POST', '/api/consumer/describe', { json: { url: url.replace('/data', '/other') } });
    assert.equal(seen.at(-1)!['ids-messagetype'], 'ids:DescriptionRequestMessage', 'the default (http-header) for other peers');
  });
});
