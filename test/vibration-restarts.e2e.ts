import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HEALTHY_PUMP } from '../src/data-apps/vibration/simulator/pump-signal.generator.js';
import { PlcSimulator } from '../src/data-apps/vibration/simulator/plc.simulator.js';
import { freePort } from './support/free-port.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/**
 * #26 point 6: a restart of the app or the node, or a configuration change, raised `zone (none) -> D` critical events
 * again for a pump already judged in D; a PUT of an unchanged configuration restarted the app and reset its counters.
 */
describe('vibration: the judged zone survives restarts; an unchanged configuration is no change (e2e)', () => {
  let t: TestApp;
  let sim: PlcSimulator;

  before(async () => {
    sim = new PlcSimulator({ port: await freePort(), seed: 21, model: { ...HEALTHY_PUMP, unbalance: HEALTHY_PUMP.unbalance * 4 } });
    await sim.start();
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
    await sim.stop();
  });

  const zoneChanges = async (): Promise<Json[]> =>
    ((await t.call('GET', '/api/apps/vibration/outputs/events/history?key=pump-1&size=200')).json<Json>().items as Json[]).filter(
      (e) => e.value.kind === 'zone-change',
    );
  const status = async (): Promise<Json> => (await t.call('GET', '/api/apps/vibration')).json<Json>();
  const windowsAfter = async (count: number): Promise<void> => {
    const from = (await status()).counters.windowsAnalysed as number;
    await waitFor(`${count} more windows`, async () => ((await status()).counters.windowsAnalysed as number) >= from + count, 20_000);
  };

  it('restarting the app (and re-applying its configuration) raises no zone change the pump did not make', async () => {
    assert.equal((await t.call('PUT', '/api/apps/vibration/config', { json: fastVibrationConfig(sim.port) })).status, 200);
    assert.equal((await t.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    await waitFor('zone D judged on both channels', async () => {
      const changes = await zoneChanges();
      return changes.filter((e) => e.value.evidence.to === 'D').length >= 1;
    });
    await windowsAfter(6);
    // #26.2: one event for the pump, not one per channel (the drive-end and the module's register both judge D).
    const toD = (await zoneChanges()).filter((e) => e.value.evidence.to === 'D');
    assert.equal(toD.length, 1, toD.map((e) => `${e.value.channel}: ${e.value.message}`).join('; '));
    assert.ok(Array.isArray(toD[0].value.channels) && toD[0].value.channels.length >= 1);
    const before = (await zoneChanges()).length;

    assert.equal((await t.call('POST', '/api/apps/vibration/restart')).json<Json>().state, 'running');
    await windowsAfter(8);
    const afterRestart = await zoneChanges();
    assert.equal(
      afterRestart.length,
      before,
      `new zone changes after a restart: ${afterRestart
        .slice(before)
        .map((e) => e.value.message)
        .join('; ')}`,
    );

    // The same configuration again: no restart, counters kept.
    const shown = (await t.call('GET', '/api/apps/vibration/config')).json<Json>();
    const running = await status();
    const again = await t.call('PUT', '/api/apps/vibration/config', { json: shown });
    assert.equal(again.status, 200, again.text);
    const now = await status();
    assert.equal(now.since, running.since, 'not restarted');
    assert.ok(now.counters.windowsAnalysed >= running.counters.windowsAnalysed, 'counters not reset');
    await windowsAfter(4);
    assert.equal((await zoneChanges()).length, before);
    await t.call('POST', '/api/apps/vibration/stop');
  });
});
