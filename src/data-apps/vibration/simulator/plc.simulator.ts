import { Server } from 'node:net';
import type modbus from 'modbus-serial';
import { encodeValue } from '../modbus/register.codec.js';
import { bandVelocityRms, timeIndicators, usableBand } from '../vibration.analytics.js';
import { HEALTHY_PUMP, PumpSignal, type PumpModel } from './pump-signal.generator.js';

export interface PlcSimulatorOptions {
  host?: string;
  port: number;
  unitId?: number;
  seed?: number;
  model?: PumpModel;
  sampleRateHz?: number;
  /** Layout B: blocks of `samplesPerBlock` int16 samples behind a uint32 sequence. */
  blocks?: number;
  samplesPerBlock?: number;
  /** Layout A: ring size. */
  ringSize?: number;
  /** m/s² per int16 count. */
  scale?: number;
}

/** The simulator's register map (input and holding registers alike); the README's example configurations use it. */
export const SIM_MAP = { blocks: 0, counter: 2000, sampleRate: 2002, scaleMicro: 2003, ring: 3000, characteristics: 6000 } as const;

interface ModbusFault extends Error {
  modbusErrorCode: number;
}

function fault(code: number, message: string): ModbusFault {
  return Object.assign(new Error(message), { modbusErrorCode: code });
}

type Callback = (error: Error | null, values: number[]) => void;

/**
 * A pump PLC over Modbus TCP (modbus-serial's ServerTCP): a 1 ms task's worth of samples of a seeded pump signal
 * written every 5 ms by `process.hrtime` (Node's 1 ms timers are not reliable), so the buffers advance at exactly
 * the sample rate on average, in both waveform layouts and as characteristic values (v_rms, a_rms, peak as
 * float32, refreshed each second). It keeps Modbus's limits: more than 125 registers is exception 3, an address
 * outside its map exception 2. Faults can be injected: a changed pump (unbalance, bearing damage), exceptions, a
 * stall, a restart (sequences back to zero), being switched off and on.
 */
export class PlcSimulator {
  readonly options: Required<Omit<PlcSimulatorOptions, 'model'>>;
  readonly signal: PumpSignal;
  private readonly registers: Uint16Array;
  private server: InstanceType<typeof modbus.ServerTCP> | undefined;
  /** The port it listens on: the one asked for, or, for port 0, the one the kernel gave at the first start. */
  private listening: number;
  private producer: NodeJS.Timeout | undefined;
  private startedNs = 0n;
  private produced = 0;
  private seq = 1;
  private counter = 0;
  private block: number[] = [];
  private readonly recent: number[] = [];
  private lastCharacteristics = 0;
  private failing: { code: number; remaining: number } | undefined;
  private stalledUntil = 0;
  /** Requests served and refused, for tests. */
  readonly served = { requests: 0, refused: 0 };

  constructor(options: PlcSimulatorOptions) {
    this.options = {
      host: options.host ?? '127.0.0.1',
      port: options.port,
      unitId: options.unitId ?? 1,
      seed: options.seed ?? 42,
      sampleRateHz: options.sampleRateHz ?? 1000,
      blocks: options.blocks ?? 16,
      samplesPerBlock: options.samplesPerBlock ?? 120,
      ringSize: options.ringSize ?? 2000,
      scale: options.scale ?? 0.001,
    };
    this.listening = this.options.port;
    this.signal = new PumpSignal(options.model ?? HEALTHY_PUMP, this.options.sampleRateHz, this.options.seed);
    this.registers = new Uint16Array(SIM_MAP.characteristics + 6);
    this.registers[SIM_MAP.sampleRate] = this.options.sampleRateHz;
    this.registers[SIM_MAP.scaleMicro] = Math.round(this.options.scale * 1e6);
  }

  /** The port it serves on (with port 0 asked for: known once started, and kept when it is switched off and on). */
  get port(): number {
    return this.listening;
  }

  /** Starts serving and sampling. */
  async start(): Promise<void> {
    if (this.server !== undefined) return;
    const vector = {
      getMultipleInputRegisters: (address: number, length: number, _unit: number, cb: Callback) => this.serve(address, length, cb),
      getMultipleHoldingRegisters: (address: number, length: number, _unit: number, cb: Callback) => this.serve(address, length, cb),
      getInputRegister: (address: number, _unit: number, cb: (e: Error | null, v: number) => void) => this.serve(address, 1, (e, v) => cb(e, v[0] ?? 0)),
      getHoldingRegister: (address: number, _unit: number, cb: (e: Error | null, v: number) => void) => this.serve(address, 1, (e, v) => cb(e, v[0] ?? 0)),
    };
    // Loaded when a simulator starts (modbus-serial brings native bindings a node without one never needs).
    const { ServerTCP } = (await import('modbus-serial')).default;
    // modbus-serial's ServerTCP takes port 0 for "unset" and listens on 502 (`options.port || MODBUS_PORT`,
    // servers/servertcp.js): two demo nodes asking for the kernel's choice then both took 502. The kernel is asked
    // here instead, once; the port is kept across off and on.
    if (this.listening === 0) this.listening = await kernelPort(this.options.host);
    const server = new ServerTCP(vector, { host: this.options.host, port: this.listening, unitID: this.options.unitId });
    server.on('error', () => undefined); // a client that went away mid-answer
    server.on('socketError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.on('initialized', () => resolve());
      server.on('serverError', (error: Error | null) => reject(error ?? new Error('the PLC simulator could not listen')));
    });
    this.server = server;
    this.startedNs = process.hrtime.bigint() - BigInt(Math.round((this.produced / this.options.sampleRateHz) * 1e9));
    this.producer = setInterval(() => this.produce(), 5);
  }

  /** Switched off: no answers, no sampling (the sequence continues when it comes back). */
  async stop(): Promise<void> {
    clearInterval(this.producer);
    this.producer = undefined;
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Changes the pump (a fault injected into the running machine). */
  inject(change: Partial<PumpModel>): void {
    this.signal.model = { ...this.signal.model, ...change };
  }

  /** The PLC restarts its program: sequence and counter back to zero, buffers cleared. */
  restart(): void {
    this.seq = 1;
    this.counter = 0;
    this.block = [];
    this.registers.fill(0, SIM_MAP.blocks, SIM_MAP.blocks + this.options.blocks * (2 + this.options.samplesPerBlock));
    this.registers.fill(0, SIM_MAP.ring, SIM_MAP.ring + this.options.ringSize);
    this.writeCounter();
  }

  /** The next `count` requests are answered with Modbus exception `code`. */
  failNext(code: number, count: number): void {
    this.failing = { code, remaining: count };
  }

  /** Requests go unanswered for `ms` (the client times out). */
  stall(ms: number): void {
    this.stalledUntil = Date.now() + ms;
  }

  private serve(address: number, length: number, cb: Callback): void {
    this.served.requests++;
    if (Date.now() < this.stalledUntil) return;
    if (this.failing !== undefined && this.failing.remaining > 0) {
      this.failing.remaining--;
      this.served.refused++;
      cb(fault(this.failing.code, 'injected'), []);
      return;
    }
    // Modbus Application Protocol V1.1b3, 6.3: quantity 1 to 125, else exception 3; outside the map, exception 2.
    if (length < 1 || length > 125) {
      this.served.refused++;
      cb(fault(3, `illegal data value: ${length} registers`), []);
      return;
    }
    if (!this.mapped(address, length)) {
      this.served.refused++;
      cb(fault(2, `illegal data address: ${address}+${length}`), []);
      return;
    }
    cb(null, Array.from(this.registers.subarray(address, address + length)));
  }

  private mapped(address: number, length: number): boolean {
    const end = address + length;
    const regions: [number, number][] = [
      [SIM_MAP.blocks, SIM_MAP.blocks + this.options.blocks * (2 + this.options.samplesPerBlock)],
      [SIM_MAP.counter, SIM_MAP.scaleMicro + 1],
      [SIM_MAP.ring, SIM_MAP.ring + this.options.ringSize],
      [SIM_MAP.characteristics, SIM_MAP.characteristics + 6],
    ];
    return regions.some(([from, to]) => address >= from && end <= to);
  }

  private produce(): void {
    const due = Math.floor((Number(process.hrtime.bigint() - this.startedNs) / 1e9) * this.options.sampleRateHz) - this.produced;
    if (due <= 0) return;
    // After a long pause of the event loop the PLC's ring has moved on anyway: produce at most 2 s at once.
    const samples = this.signal.next(Math.min(due, 2 * this.options.sampleRateHz));
    this.produced += due;
    const { blocks, samplesPerBlock, ringSize, scale } = this.options;
    for (const value of samples) {
      const count = encodeValue(value / scale, 'int16')[0];
      this.registers[SIM_MAP.ring + (this.counter % ringSize)] = count;
      this.counter++;
      this.block.push(count);
      if (this.block.length === samplesPerBlock) {
        const at = SIM_MAP.blocks + (this.seq % blocks) * (2 + samplesPerBlock);
        this.registers.set(encodeValue(this.seq, 'uint32'), at);
        this.registers.set(this.block, at + 2);
        this.seq++;
        this.block = [];
      }
      this.recent.push(value);
    }
    if (this.recent.length > 1024) this.recent.splice(0, this.recent.length - 1024);
    this.writeCounter();
    const now = Date.now();
    if (now - this.lastCharacteristics >= 1000 && this.recent.length === 1024) {
      this.lastCharacteristics = now;
      this.writeCharacteristics();
    }
  }

  private writeCounter(): void {
    this.registers.set(encodeValue(this.counter, 'uint32'), SIM_MAP.counter);
  }

  /** What a vibration module computes itself: v_rms (mm/s, over the usable band), a_rms and peak (m/s²). */
  private writeCharacteristics(): void {
    const window = Float64Array.from(this.recent);
    const band = usableBand(this.options.sampleRateHz);
    const v = bandVelocityRms(window, this.options.sampleRateHz, band.lowHz, band.highHz);
    const t = timeIndicators(window);
    this.registers.set([...encodeValue(v, 'float32'), ...encodeValue(t.aRms, 'float32'), ...encodeValue(t.peak, 'float32')], SIM_MAP.characteristics);
  }
}

/** A port the kernel gives for `host` now (a listener on port 0, closed at once). */
function kernelPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = new Server();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port from the kernel'))));
    });
  });
}
