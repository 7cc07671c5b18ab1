import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { HEALTHY_PUMP, PumpSignal } from '../simulator/pump-signal.generator.js';
import { PlcSimulator, SIM_MAP } from '../simulator/plc.simulator.js';
import { parseVibrationConfig, type BlockLayout, type RingLayout } from '../vibration-config.parser.js';
import { ModbusLink, ModbusReadError } from './modbus.link.js';
import { BlockReader, RingReader, type SampleChunk, type WaveformReader } from './waveform.reader.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The PLC's sample-rate register, read again every 100 ms (up to 4 s) until the link is back. */
async function sampleRateOnceBack(link: ModbusLink): Promise<number | undefined> {
  for (let i = 0; i < 40; i++) {
    const value = await link.read('input', SIM_MAP.sampleRate, 1).then(
      (r) => r[0],
      () => undefined,
    );
    if (value !== undefined) return value;
    await sleep(100);
  }
  return undefined;
}

function layouts(): { blocks: BlockLayout; ring: RingLayout } {
  const parsed = parseVibrationConfig({
    assets: [
      {
        id: 'p',
        plc: { host: '127.0.0.1', port: 1 },
        channels: [
          { id: 'b', waveform: { layout: 'blocks', address: SIM_MAP.blocks, blocks: 16, samplesPerBlock: 120 } },
          { id: 'r', waveform: { layout: 'ring', counterAddress: SIM_MAP.counter, address: SIM_MAP.ring, size: 2000 } },
        ],
      },
    ],
  });
  assert.ok(parsed.ok, JSON.stringify(parsed));
  const [b, r] = parsed.config.assets[0].channels;
  return { blocks: b.waveform as BlockLayout, ring: r.waveform as RingLayout };
}

async function readFor(reader: WaveformReader, ms: number): Promise<SampleChunk[]> {
  const chunks: SampleChunk[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    chunks.push(...(await reader.pass()));
    await sleep(50);
  }
  return chunks;
}

describe('Modbus TCP acquisition against the PLC simulator (modbus-serial on 127.0.0.1)', () => {
  let sim: PlcSimulator;
  let link: ModbusLink;
  const { blocks, ring } = layouts();

  before(async () => {
    sim = new PlcSimulator({ port: await freePort(), seed: 9 });
    await sim.start();
    link = new ModbusLink({ host: '127.0.0.1', port: sim.port, unitId: 1, timeoutMs: 300, pollMs: 50 });
  });
  after(async () => {
    await link.close();
    await sim.stop();
  });

  it('reads self-describing blocks at the PLC’s 1 kHz with no gap, sample for sample what the PLC sampled', async () => {
    const reader = new BlockReader(link, blocks, Date.now);
    const chunks = await readFor(reader, 2000);
    const samples = chunks.reduce((n, c) => n + c.counts.length, 0);
    assert.ok(samples > 1500 && samples < 2600, `${samples} samples in 2 s`);
    assert.equal(reader.stats.gaps, 0);
    // The same seed regenerates the signal: the samples read are exactly the PLC's (in its int16 counts).
    const produced = sim.signal.timeS * 1000;
    const check = new PumpSignal(HEALTHY_PUMP, 1000, 9).next(Math.ceil(produced));
    const counts = Int16Array.from(check, (v) => Math.max(-32768, Math.min(32767, Math.round(v / 0.001))));
    const firstSeq = Math.round((produced - samples) / 120); // approximately where the reader started
    const flat = Int16Array.from(chunks.flatMap((c) => Array.from(c.counts)));
    const start = [-2, -1, 0, 1, 2, 3].map((d) => (firstSeq + d) * 120).find((s) => s >= 0 && counts.subarray(s, s + 240).every((v, i) => v === flat[i]));
    assert.ok(start !== undefined, 'the first block read matches the generated samples');
  });

  it('reads the counter + ring layout, split at the wrap, with no gap', async () => {
    const reader = new RingReader(link, ring, Date.now);
    const chunks = await readFor(reader, 2500);
    const samples = chunks.reduce((n, c) => n + c.counts.length, 0);
    assert.ok(samples > 1800 && samples < 2800, `${samples} samples in 2.5 s`);
    assert.equal(reader.stats.gaps, 0);
    assert.ok(chunks.every((c) => c.counts.length <= 125));
  });

  it('gets exception 3 beyond 125 registers and exception 2 outside the map', async () => {
    await assert.rejects(link.read('input', 0, 126), (e: unknown) => e instanceof ModbusReadError && e.kind === 'exception' && e.code === 3);
    await assert.rejects(link.read('input', 9000, 2), (e: unknown) => e instanceof ModbusReadError && e.code === 2);
    assert.equal((await link.read('input', SIM_MAP.sampleRate, 1))[0], 1000);
  });

  it('counts lost blocks by sequence when the reader falls behind, and the chunk after the gap says how many', async () => {
    const reader = new BlockReader(link, blocks, Date.now);
    await readFor(reader, 300);
    await sleep(2600); // longer than 16 blocks x 120 ms: the buffer turned over
    const chunks = await reader.pass();
    assert.equal(reader.stats.gaps, 1);
    const lost = chunks.find((c) => c.lost > 0)!.lost;
    assert.equal(lost % (16 * 120), 0, `whole turns of the buffer: ${lost}`);
    assert.equal(lost, reader.stats.lostSamples);
  });

  it('notices a PLC restart (sequence back to the start) and carries on from its newest block', async () => {
    const reader = new BlockReader(link, blocks, Date.now);
    await readFor(reader, 300);
    sim.restart();
    const chunks = await readFor(reader, 1500);
    assert.equal(reader.stats.restarts, 1);
    assert.ok(chunks.some((c) => c.restarted));
    assert.ok(chunks.filter((c) => !c.restarted).length > 0, 'samples again after the restart');
    const ringReader = new RingReader(link, ring, Date.now);
    await readFor(ringReader, 300);
    sim.restart();
    const after = await readFor(ringReader, 600);
    assert.equal(ringReader.stats.restarts, 1);
    assert.ok(after.some((c) => c.restarted));
  });

  it('answers exceptions and stalls as read errors, and the PLC switched off and on as a reconnect', async () => {
    sim.failNext(4, 2);
    await assert.rejects(link.read('input', 0, 2), (e: unknown) => e instanceof ModbusReadError && e.code === 4);
    await assert.rejects(link.read('input', 0, 2), (e: unknown) => e instanceof ModbusReadError && e.code === 4);
    assert.equal((await link.read('input', SIM_MAP.sampleRate, 1))[0], 1000);
    sim.stall(700);
    await assert.rejects(link.read('input', 0, 2), (e: unknown) => e instanceof ModbusReadError && e.kind === 'timeout');
    await sleep(800);
    assert.equal((await link.read('input', SIM_MAP.sampleRate, 1))[0], 1000);
    await sim.stop();
    // A read under way when the PLC goes is lost with the socket (modbus-serial lets it time out); the next one sees
    // the connection gone.
    await assert.rejects(link.read('input', 0, 2), (e: unknown) => e instanceof ModbusReadError);
    await assert.rejects(link.read('input', 0, 2), (e: unknown) => e instanceof ModbusReadError && e.kind === 'connection');
    assert.equal(link.state, 'reconnecting');
    await sim.start();
    assert.equal(await sampleRateOnceBack(link), 1000);
    assert.equal(link.state, 'connected');
    assert.ok(link.counters.reconnects >= 1);
  });
});

describe('the PLC simulator on port 0 (the demo node with FEP_DEMO_PLC_PORT=0)', () => {
  it('two at once each get a port of their own (modbus-serial alone took 502 for both: EADDRINUSE)', async () => {
    const first = new PlcSimulator({ port: 0, seed: 1 });
    const second = new PlcSimulator({ port: 0, seed: 2 });
    await first.start();
    try {
      await second.start();
      assert.notEqual(first.port, second.port);
      assert.ok(first.port !== 502 && second.port !== 502, `ports ${first.port}, ${second.port}`);
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it('serves on the port the kernel gave it, says which, and keeps it when switched off and on', async () => {
    const sim = new PlcSimulator({ port: 0, seed: 1 });
    await sim.start();
    const link = new ModbusLink({ host: '127.0.0.1', port: sim.port, unitId: 1, timeoutMs: 300, pollMs: 50 });
    try {
      const port = sim.port;
      assert.ok(port > 0, `port ${port}`);
      assert.equal((await link.read('input', SIM_MAP.sampleRate, 1))[0], 1000);
      await sim.stop();
      await sim.start();
      assert.equal(sim.port, port);
      assert.equal(await sampleRateOnceBack(link), 1000);
    } finally {
      await link.close();
      await sim.stop();
    }
  });
});
