import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PlcSimulator } from '../src/data-apps/vibration/simulator/plc.simulator.js';
import { freePort } from './support/free-port.js';
import { formBody, idsHeader, parseReply } from './support/ids.fixtures.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { FlakyStartApp, ThrowingApp } from './support/test-data-apps.js';
import { waitFor } from './support/wait.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';

type Json = Record<string, any>;
const APPS = { dataApps: [ThrowingApp, FlakyStartApp] };
const ENV = { FEP_APPS_RESTART_MIN_MS: '200', FEP_APPS_RESTART_MAX_MS: '800' };

/** The IDS endpoint answering throughout: a DescriptionRequestMessage every 100 ms, every reply checked. */
function keepAsking(app: TestApp): { stop: () => Promise<{ asked: number; failures: string[] }> } {
  let stopped = false;
  const failures: string[] = [];
  let asked = 0;
  const loop = (async () => {
    while (!stopped) {
      const { body, headers } = formBody(idsHeader('ids:DescriptionRequestMessage'));
      const reply = await app.call('POST', '/data', { body, headers, admin: false }).catch((e: Error) => ({ status: 0, text: e.message }));
      asked++;
      const type = reply.status === 200 ? (parseReply(reply.text).header['@type'] as string) : `${reply.status} ${reply.text}`;
      if (type !== 'ids:DescriptionResponseMessage') failures.push(type);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return { asked, failures };
    },
  };
}

async function status(app: TestApp, name: string): Promise<Json> {
  return (await app.call('GET', `/api/apps/${name}`)).json<Json>();
}

describe('data-app platform: lifecycle, isolation and sensor faults, while /data keeps answering (e2e)', () => {
  let sim: PlcSimulator;
  let app: TestApp;
  let asking: ReturnType<typeof keepAsking>;

  before(async () => {
    sim = new PlcSimulator({ port: await freePort(), seed: 3 });
    await sim.start();
    app = await startTestApp(ENV, APPS);
    asking = keepAsking(app);
  });
  after(async () => {
    await app.close();
    await sim.stop();
  });

  it('lists every app, stopped on a fresh node, with its outputs', async () => {
    const apps = (await app.call('GET', '/api/apps')).json<Json[]>();
    assert.deepEqual(apps.map((a) => [a.name, a.state, a.desired]).sort(), [
      ['flaky', 'stopped', 'stopped'],
      ['occupancy', 'stopped', 'stopped'],
      ['throwing', 'stopped', 'stopped'],
      ['vibration', 'stopped', 'stopped'],
    ]);
    assert.deepEqual(
      apps.find((a) => a.name === 'vibration')!.outputs.map((o: Json) => o.name),
      ['events', 'condition'],
    );
    assert.equal((await app.call('GET', '/api/apps/nope')).status, 404);
    assert.equal((await app.call('GET', '/api/apps', { admin: false })).status, 401, 'the admin API is authenticated');
  });

  it('a bad configuration is a 400 naming the field, and changes nothing', async () => {
    const before = (await app.call('GET', '/api/apps/vibration/config')).json<Json>();
    const config = fastVibrationConfig(sim.port);
    config.assets[0].plc.port = 70_000;
    config.assets[0].channels[0].waveform.samplesPerBlock = 200;
    const refused = await app.call('PUT', '/api/apps/vibration/config', { json: config });
    assert.equal(refused.status, 400);
    const body = refused.json<Json>();
    assert.match(body.message, /config\.assets\[0\]\.plc\.port: must be between 1 and 65535/);
    assert.match(body.message, /samplesPerBlock/);
    assert.equal((await app.call('PUT', '/api/apps/vibration/config', { body: 'not json', headers: { 'content-type': 'application/json' } })).status, 400);
    assert.equal((await app.call('PUT', '/api/apps/vibration/config', { json: [1, 2] })).status, 400);
    assert.deepEqual((await app.call('GET', '/api/apps/vibration/config')).json<Json>(), before);
    assert.equal((await status(app, 'vibration')).state, 'stopped');
  });

  it('the PLC stops and comes back, answers exceptions, restarts its sequence: each is a status, the app keeps running', async () => {
    assert.equal((await app.call('PUT', '/api/apps/vibration/config', { json: fastVibrationConfig(sim.port) })).status, 200);
    assert.equal((await app.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    await waitFor('windows analysed', async () => (await status(app, 'vibration')).counters.windowsAnalysed >= 2);

    sim.failNext(4, 30);
    const failing = await waitFor('exceptions counted', async () => {
      const s = await status(app, 'vibration');
      return s.counters.modbusExceptions >= 30 ? s : undefined;
    });
    assert.equal(failing.state, 'running');
    assert.match(failing.sources['pump-1'].lastError, /Modbus exception 4/);

    await sim.stop();
    const down = await waitFor('the PLC seen as gone', async () => {
      const s = await status(app, 'vibration');
      return s.sources['pump-1'].state === 'reconnecting' ? s : undefined;
    });
    assert.equal(down.state, 'running', 'a dead sensor is a status, not a failure');
    await new Promise((r) => setTimeout(r, 1500));
    await sim.start();
    const samples = (await status(app, 'vibration')).counters.samples;
    await waitFor('samples again after the PLC came back', async () => {
      const s = await status(app, 'vibration');
      return s.sources['pump-1'].state === 'connected' && s.counters.samples > samples + 500;
    });
    const beforeRestart = await status(app, 'vibration');
    sim.restart();
    const restarted = await waitFor('the PLC restart noticed', async () => {
      const s = await status(app, 'vibration');
      return s.counters.plcRestarts >= 1 && s.counters.samples > beforeRestart.counters.samples + 500 ? s : undefined;
    });
    assert.equal(restarted.state, 'running');
    assert.ok(restarted.counters.gaps >= 1 || restarted.counters.windowsPartial >= 1, 'the outage shows as a gap or a cut window');
    // The window cut by the outage is stored marked (written with the next batch), not stitched to the next one.
    await waitFor('a window marked as cut by the outage', async () => {
      const windows = (await app.call('GET', '/api/apps/vibration/windows?size=200')).json<Json>();
      return windows.items.some((w: Json) => w.indicators.partial === true && w.missing !== 0);
    });
  });

  it('an app that throws goes to failed with the reason and is restarted with backoff; stopping it ends that', async () => {
    assert.equal((await app.call('PUT', '/api/apps/throwing/config', { json: { afterPasses: 2, where: 'loop' } })).status, 200);
    await app.call('POST', '/api/apps/throwing/start');
    const failed = await waitFor('failed', async () => {
      const s = await status(app, 'throwing');
      return s.state === 'failed' ? s : undefined;
    });
    assert.match(failed.lastError, /boom after 2 passes/);
    assert.ok(failed.nextRestart !== null);
    const again = await waitFor('restarted twice', async () => {
      const s = await status(app, 'throwing');
      return s.restarts >= 2 ? s : undefined;
    });
    assert.ok(again.failures >= 2);
    const stopped = (await app.call('POST', '/api/apps/throwing/stop')).json<Json>();
    assert.equal(stopped.state, 'stopped');
    assert.equal(stopped.nextRestart, null);
    const restarts = stopped.restarts;
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await status(app, 'throwing')).restarts, restarts, 'no restart once stopped');
    assert.equal((await status(app, 'vibration')).state, 'running', 'the other apps were not touched');
  });

  it('an app whose start fails is retried until it runs', async () => {
    await app.call('POST', '/api/apps/flaky/start');
    const running = await waitFor('running after two failed starts', async () => {
      const s = await status(app, 'flaky');
      return s.state === 'running' ? s : undefined;
    });
    assert.equal(running.restarts, 2);
    assert.equal(running.lastError, null);
  });

  it('kept answering /data throughout', async () => {
    const { asked, failures } = await asking.stop();
    assert.ok(asked > 20, `${asked} requests`);
    assert.deepEqual(failures, []);
  });

  it('after a restart of the connector each app is back in its desired state, with its configuration', async () => {
    await app.stop();
    app = await startTestApp(ENV, { ...APPS, restartOf: app });
    const vibration = await waitFor('vibration running again', async () => {
      const s = await status(app, 'vibration');
      return s.state === 'running' ? s : undefined;
    });
    assert.equal(vibration.desired, 'running');
    assert.equal((await app.call('GET', '/api/apps/vibration/config')).json<Json>().analysis.windowSamples, 1024);
    assert.equal((await status(app, 'throwing')).state, 'stopped');
    assert.equal((await status(app, 'flaky')).desired, 'running');
  });
});
