import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HEALTHY_PUMP } from '../src/data-apps/vibration/simulator/pump-signal.generator.js';
import { PlcSimulator } from '../src/data-apps/vibration/simulator/plc.simulator.js';
import { outputIris } from '../src/data-apps/output.publisher.js';
import { freePort } from './support/free-port.js';
import { makePki, omejdnEnv, register, type Party } from './support/pki.fixture.js';
import { TestClearingHouse } from './support/test-clearing-house.server.js';
import { TestDaps } from './support/test-daps.server.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { fetchArtifact, negotiate } from './support/usage.fixtures.js';
import { fastVibrationConfig } from './support/vibration.fixtures.js';
import { keyPaths, readmeExamples } from './support/readme.examples.js';
import { waitFor } from './support/wait.js';

type Json = Record<string, any>;

/**
 * The PLATOON predictive-maintenance path: a PLC (the simulator, Modbus TCP) sampled at 1 kHz, the vibration app on
 * the provider, an injected fault, a maintenance event, and a consumer connector that negotiates the event output's
 * offer and fetches it, with the policy decision and the clearing-house records of any artifact.
 */
describe('vibration app: PLC fault -> maintenance event -> consumer connector (e2e)', () => {
  let daps: TestDaps;
  let ch: TestClearingHouse;
  let parties: Record<string, Party>;
  let sim: PlcSimulator;
  let provider: TestApp;
  let consumer: TestApp;

  before(async () => {
    daps = await TestDaps.start();
    const pki = makePki(['provider', 'consumer', 'clearinghouse']);
    parties = pki.parties;
    for (const party of Object.values(parties)) register(daps, party);
    ch = await TestClearingHouse.start(daps, parties['clearinghouse']);
    sim = new PlcSimulator({ port: await freePort(), seed: 7, model: HEALTHY_PUMP });
    await sim.start();
    const services = { FEP_CLEARING_HOUSE_URL: ch.url, FEP_SERVICE_POLL_MS: '100', FEP_SERVICE_RETRY_MAX_MS: '300' };
    provider = await startTestApp(omejdnEnv(parties['provider'], pki.caFile, daps, services));
    consumer = await startTestApp(omejdnEnv(parties['consumer'], pki.caFile, daps, services));
  });
  after(async () => {
    await consumer.close();
    await provider.close();
    await sim.stop();
    await ch.stop();
    await daps.stop();
  });

  it('offers nothing for an app that never ran; once started, its outputs are in the self-description', async () => {
    const iris = (output: string): ReturnType<typeof outputIris> => outputIris(provider.config.connector.id, 'vibration', output);
    const before = JSON.stringify((await provider.call('GET', '/', { admin: false })).json<Json>());
    assert.ok(!before.includes(iris('events').resource));
    const apps = (await provider.call('GET', '/api/apps')).json<Json[]>();
    assert.deepEqual(
      apps.map((a) => [a.name, a.state]),
      [
        ['occupancy', 'stopped'],
        ['vibration', 'stopped'],
      ],
    );
    const configured = await provider.call('PUT', '/api/apps/vibration/config', { json: fastVibrationConfig(sim.port) });
    assert.equal(configured.status, 200, configured.text);
    assert.equal((await provider.call('POST', '/api/apps/vibration/start')).json<Json>().state, 'running');
    const text = JSON.stringify((await provider.call('GET', '/', { admin: false })).json<Json>());
    assert.ok(text.includes(iris('events').resource), 'the events output is an offered resource');
    assert.ok(text.includes(iris('condition').artifact), 'the condition output has its artifact');
  });

  it('a healthy pump: zone A, indicators flowing, no event; then unbalance x4: a zone D event, fetched by the consumer under its policy', async () => {
    const healthy = await waitFor('zone A', async () => {
      const view = (await provider.call('GET', '/api/apps/vibration/outputs/condition')).json<Json>();
      const pump = view.current['pump-1']?.value;
      return pump?.channels['drive-end'].zone === 'A' ? pump : undefined;
    });
    assert.equal(healthy.channels['drive-end'].band.highHz, 400, 'the velocity band at 1 kHz');
    const status = (await provider.call('GET', '/api/apps/vibration')).json<Json>();
    assert.ok(status.counters.samplesPerSecond > 700, `samples/s ${status.counters.samplesPerSecond}`);
    assert.equal(status.sources['pump-1'].state, 'connected');
    assert.equal((await provider.call('GET', '/api/apps/vibration/outputs/events')).json<Json>().history.length, 0);

    sim.inject({ unbalance: HEALTHY_PUMP.unbalance * 4 });
    const event = await waitFor(
      'a zone-change event to D',
      async () =>
        (await provider.call('GET', '/api/apps/vibration/outputs/events/history?key=pump-1'))
          .json<Json>()
          .items.find((e: Json) => e.value.kind === 'zone-change' && e.value.evidence.to === 'D'),
      20_000,
    );
    assert.equal(event.value.severity, 'critical');
    assert.ok(event.value.evidence.vRmsMmS > 4.5);

    // The consumer: the offer of the events output, negotiated and fetched like any artifact.
    const iris = outputIris(provider.config.connector.id, 'vibration', 'events');
    const resources = (await provider.call('GET', '/api/resources?size=100')).json<Json>().items as Json[];
    const resource = resources.find((r) => r.iri === iris.resource)!;
    const offers = (await provider.call('GET', `/api/contract-offers?resourceId=${resource.id}`)).json<Json>().items as Json[];
    assert.equal(offers.length, 1);
    assert.match(JSON.stringify(offers[0].document), /LOG/, 'the default offer is USAGE_LOGGING');
    const agreement = await negotiate(consumer, provider, offers[0]);
    const fetched = await fetchArtifact(consumer, provider, iris.artifact, agreement.iri);
    assert.equal(fetched.status, 200, fetched.text);
    const data = await consumer.call('GET', `/api/consumer/artifacts/${fetched.json<Json>().id}/data`);
    assert.equal(data.status, 200, data.text);
    const served = data.json<Json>();
    assert.equal(served.output, 'events');
    assert.ok(
      served.history.some((e: Json) => e.value.id === event.value.id),
      'the event is in what the consumer received',
    );
    assert.equal(served.current.value.asset, 'pump-1');
    // What the README documents is what is served.
    const examples = readmeExamples();
    assert.deepEqual(
      keyPaths(served).filter((k) => !k.startsWith('current.value.')),
      keyPaths(examples.get('output-view')).filter((k) => !k.startsWith('current.value.')),
    );
    assert.deepEqual(
      keyPaths(event.value).filter((k) => !k.startsWith('evidence.')),
      keyPaths(examples.get('maintenance-event')).filter((k) => !k.startsWith('evidence.')),
    );
    // The channel that told it leaves its mark: `band` (a waveform channel) or `source` (the module's register).
    const common = (keys: string[]): string[] => keys.filter((k) => k !== 'band' && k !== 'source').sort();
    assert.deepEqual(common(Object.keys(event.value.evidence)), common(Object.keys((examples.get('maintenance-event') as Json).evidence)));

    // The policy decided it, and the transfer is on record at the clearing house, from both sides.
    const log = (await provider.call('GET', `/api/usage/log?agreement=${encodeURIComponent(agreement.iri)}`)).json<Json>();
    assert.deepEqual(
      log.items.map((e: Json) => [e.permitted, e.logDuty]),
      [[true, true]],
    );
    const pid = agreement.iri.split('/').pop();
    for (const [party, type] of [
      ['provider', 'ids:ArtifactRequestMessage'],
      ['consumer', 'ids:ArtifactResponseMessage'],
    ] as const) {
      await waitFor(`the ${party}'s transfer record`, () =>
        ch.log.find((e) => e.pid === pid && e.by === parties[party].clientId && e.payload['message']['@type'] === type),
      );
    }
    const record = ch.log.find((e) => e.pid === pid && e.payload['message']['@type'] === 'ids:ArtifactRequestMessage')!;
    assert.equal(record.payload['bytesServed'], Buffer.byteLength(data.text), 'the record is of the bytes the consumer got');
  });

  it('reads indicators and events back by asset and time range, paginated, and a window’s raw samples', async () => {
    const from = new Date(Date.now() - 120_000).toISOString();
    const page = (await provider.call('GET', `/api/apps/vibration/windows?asset=pump-1&from=${from}&size=2`)).json<Json>();
    assert.equal(page.items.length, 2);
    assert.ok(page.total >= 2);
    assert.ok(page.items[0].indicators.vRms > 0);
    const samples = (await provider.call('GET', `/api/apps/vibration/windows/${page.items[0].id}/samples`)).json<Json>();
    assert.equal(samples.values.length, 1024);
    assert.equal(samples.sampleRateHz, 1000);
    assert.equal((await provider.call('GET', '/api/apps/vibration/windows?from=yesterday')).status, 400);
    assert.equal((await provider.call('GET', '/api/apps/vibration/windows/999999/samples')).status, 404);
  });
});
