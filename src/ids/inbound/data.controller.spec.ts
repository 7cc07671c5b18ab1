import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import type { Server } from 'node:http';
import { strictFake } from '../../../test/support/strict-fake.js';
import { DataController } from './data.controller.js';
import type { IdsPipeline, PipelineReply } from './ids-pipeline.service.js';

describe('the IDS endpoint as a plain Express route (DataController.serve)', () => {
  let outcome: () => Promise<PipelineReply>;
  const pipeline = strictFake<IdsPipeline>('IdsPipeline', { process: () => outcome() });
  const controller = new DataController(pipeline);
  let server: Server;
  let url: string;
  before(async () => {
    const app = express();
    app.post('/data', (req, res) => void controller.serve(req, res));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers in the request transport with the reply the pipeline built', async () => {
    outcome = () =>
      Promise.resolve({
        transport: 'form',
        header: { '@type': 'ids:DescriptionResponseMessage' },
        payload: { data: '{"ok":true}', contentType: 'application/json' },
      });
    const response = await fetch(url, { method: 'POST', body: 'x' });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^multipart\/form-data; boundary=[0-9a-f]{32}$/);
    const body = await response.text();
    assert.equal(Number(response.headers.get('content-length')), Buffer.byteLength(body));
    assert.match(body, /ids:DescriptionResponseMessage[\s\S]*\{"ok":true\}/);
  });

  it('turns a fault of its own into a 500 and stays up (the pipeline answers every message fault itself)', async () => {
    outcome = () => Promise.reject(new Error('a bug'));
    const response = await fetch(url, { method: 'POST', body: 'x' });
    assert.equal(response.status, 500);
    outcome = () => Promise.resolve({ transport: 'form', header: { '@type': 'ids:MessageProcessedNotificationMessage' } });
    assert.equal((await fetch(url, { method: 'POST', body: 'x' })).status, 200, 'the next request is answered');
  });
});
