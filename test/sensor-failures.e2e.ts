import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { DEFAULT_MODEL } from '../src/data-apps/occupancy/occupancy.app.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;
const skip = existsSync(DEFAULT_MODEL) ? {} : { skip: `needs the detector ${DEFAULT_MODEL} (npm ci installs it; npm run assets:fetch)` };

/**
 * #26 point 12: a PLC host that does not resolve and a camera that answers 404 were reported per source by
 * `GET /api/apps/{app}` only: nothing logged, no metric, readiness `ok`, and no tile for the failing camera on the
 * live page.
 */
describe('sensor failures are visible: readiness, metrics, the live snapshot (e2e)', skip, () => {
  let t: TestApp;
  let camera: Server;
  let cameraUrl: string;
  let healthy = false;
  let frame: Buffer;

  before(async () => {
    frame = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#777777' } })
      .jpeg()
      .toBuffer();
    camera = createServer((_req, res) => {
      if (healthy) res.writeHead(200, { 'content-type': 'image/jpeg' }).end(frame);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => camera.listen(0, '127.0.0.1', resolve));
    cameraUrl = `http://127.0.0.1:${(camera.address() as AddressInfo).port}/snapshot.jpg`;
    t = await startTestApp({ FEP_APPS_SOURCE_DOWN_S: '2' });
  });
  after(async () => {
    await t.close();
    camera.closeAllConnections();
    await new Promise<void>((resolve) => camera.close(() => resolve()));
  });

  const ready = async (): Promise<Json> => (await t.call('GET', '/health/ready', { admin: false })).json<Json>();

  it('a PLC that does not resolve and a camera answering 404: degraded readiness naming them, counted, shown; then recovered', async () => {
    const vibration = fastVibrationConfig(1502);
    vibration.assets[0].plc.host = 'plc.invalid';
    assert.equal((await t.call('PUT', '/api/apps/vibration/config', { json: vibration })).status, 200);
    assert.equal((await t.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    const occupancy = { cameras: [{ id: 'lobby', intervalMs: 500, source: { kind: 'snapshot', url: cameraUrl, timeoutMs: 1000 } }] };
    assert.equal((await t.call('PUT', '/api/apps/occupancy/config', { json: occupancy })).status, 200);
    assert.equal((await t.call('POST', '/api/apps/occupancy/start')).json<Json>().state, 'running');

    const degraded = await waitFor(
      'both sources down in readiness',
      async () => {
        const r = await ready();
        const down = (r.details.dataApps.sourcesDown ?? []) as Json[];
        return down.length >= 2 ? r : undefined;
      },
      30_000,
    );
    assert.equal(degraded.details.dataApps.status, 'degraded');
    const down = degraded.details.dataApps.sourcesDown as Json[];
    const plc = down.find((d) => d.app === 'vibration')!;
    assert.equal(plc.source, 'pump-1');
    assert.match(plc.lastError, /plc\.invalid|ENOTFOUND|EAI_AGAIN/);
    const cam = down.find((d) => d.app === 'occupancy')!;
    assert.equal(cam.source, 'lobby');
    assert.match(cam.lastError, /404/);
    const changes = async (): Promise<string[]> =>
      (await t.call('GET', '/metrics')).text.split('\n').filter((l) => l.startsWith('fep_data_app_source_changes_total{'));
    assert.ok((await changes()).includes('fep_data_app_source_changes_total{app="vibration",to="down"} 1'), (await changes()).join('\n'));
    assert.ok((await changes()).includes('fep_data_app_source_changes_total{app="occupancy",to="down"} 1'), (await changes()).join('\n'));
    const snapshot = (await t.call('GET', '/api/live/snapshot')).json<Json>();
    const lobby = (snapshot.apps as Json[]).find((a) => a.name === 'occupancy')!.sources.lobby;
    assert.equal(lobby.up, false, 'the failing camera is on the live page, with its state');

    healthy = true;
    await waitFor(
      'the camera back',
      async () => !(((await ready()).details.dataApps.sourcesDown ?? []) as Json[]).some((d) => d.app === 'occupancy'),
      30_000,
    );
    assert.ok((await changes()).includes('fep_data_app_source_changes_total{app="occupancy",to="up"} 1'), (await changes()).join('\n'));
    await t.call('POST', '/api/apps/vibration/stop');
    await t.call('POST', '/api/apps/occupancy/stop');
    await waitFor('readiness up once the apps are stopped', async () => (await ready()).details.dataApps.status === 'up');
  });
});
