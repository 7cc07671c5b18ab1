import { MAX_REGISTERS, type BlockLayout, type RingLayout } from '../vibration-config.parser.js';
import { decodeValue, registersPer, sampleCounts } from './register.codec.js';
import type { ModbusLink } from './modbus.link.js';

/** Samples read in one go, in order, with what the sequence said about the samples before them. */
export interface SampleChunk {
  counts: Int16Array;
  /** Samples lost right before this chunk (the sequence jumped): counted, never stitched over. */
  lost: number;
  /** The PLC's sequence went back (it restarted): how much was lost is unknown. */
  restarted: boolean;
}

export interface ReaderStats {
  samples: number;
  gaps: number;
  lostSamples: number;
  restarts: number;
  /** ms since the epoch of the last new sample (a PLC in STOP answers, but nothing new comes). */
  lastNewAt: number;
}

export interface WaveformReader {
  /** Reads what is new (catching up at most a bounded number of requests); errors are the link's. */
  pass(): Promise<SampleChunk[]>;
  readonly stats: ReaderStats;
}

const MAX_REQUESTS_PER_PASS = 64;

function newStats(): ReaderStats {
  return { samples: 0, gaps: 0, lostSamples: 0, restarts: 0, lastNewAt: 0 };
}

/**
 * Layout B: K self-describing blocks `[seq_hi, seq_lo, (t_hi, t_lo), samples]`, each read atomically in one
 * request; sequences count from 1 (0: an empty block). The block for sequence s sits in slot s mod K; a slot still holding s - K is not written yet; any
 * other value means blocks were lost (a jump by a multiple of K) or the PLC restarted (the sequence went back).
 */
export class BlockReader implements WaveformReader {
  readonly stats = newStats();
  private next: number | undefined;
  private restartPending = false;
  private readonly header: number;
  private readonly width: number;
  private readonly blockRegisters: number;

  constructor(
    private readonly link: ModbusLink,
    private readonly layout: BlockLayout,
    private readonly now: () => number,
  ) {
    this.header = layout.timestamp ? 4 : 2;
    this.width = registersPer(layout.encoding);
    this.blockRegisters = this.header + layout.samplesPerBlock * this.width;
  }

  async pass(): Promise<SampleChunk[]> {
    if (this.next === undefined) await this.sync();
    const chunks: SampleChunk[] = [];
    let lost = 0;
    for (let i = 0; i < MAX_REQUESTS_PER_PASS; i++) {
      const next = this.next!;
      const slot = next % this.layout.blocks;
      const registers = await this.link.read(this.layout.table, this.layout.address + slot * this.blockRegisters, this.blockRegisters);
      const seq = decodeValue(registers, 0, 'uint32', this.layout.wordOrder);
      if (seq === next) {
        chunks.push(this.chunk(registers, lost));
        lost = 0;
        this.next = next + 1;
        continue;
      }
      if (seq === 0 || seq + this.layout.blocks === next) break; // not written yet (sequences start at 1)
      if (seq > next && (seq - next) % this.layout.blocks === 0) {
        // We fell behind by whole turns of the buffer: those blocks are gone.
        lost += (seq - next) * this.layout.samplesPerBlock;
        this.next = seq;
        continue;
      }
      // The sequence went back or is inconsistent: the PLC restarted (or reset its buffer). Start again from its newest.
      this.stats.restarts++;
      this.restartPending = true;
      await this.sync();
      break;
    }
    return chunks;
  }

  private chunk(registers: number[], lost: number): SampleChunk {
    const counts = sampleCounts(registers, this.header, this.layout.samplesPerBlock, this.layout.encoding, this.layout.wordOrder, this.layout.scale);
    if (lost > 0) {
      this.stats.gaps++;
      this.stats.lostSamples += lost;
    }
    this.stats.samples += counts.length;
    this.stats.lastNewAt = this.now();
    const restarted = this.restartPending;
    this.restartPending = false;
    return { counts, lost, restarted };
  }

  /** Reads every slot's sequence and continues from the newest block. */
  private async sync(): Promise<void> {
    let newest = -1;
    for (let slot = 0; slot < this.layout.blocks; slot++) {
      const registers = await this.link.read(this.layout.table, this.layout.address + slot * this.blockRegisters, 2);
      newest = Math.max(newest, decodeValue(registers, 0, 'uint32', this.layout.wordOrder));
    }
    this.next = Math.max(1, newest);
  }
}

/**
 * Layout A: a uint32 count of samples written and a ring of `size` samples. Each pass reads the counter, then the
 * new span in reads of at most 125 registers, split at the wrap; `margin` samples behind the counter are left for
 * the next pass (the PLC may be writing them). More new samples than the ring holds minus the margin: the oldest
 * were overwritten, a gap.
 */
export class RingReader implements WaveformReader {
  readonly stats = newStats();
  private last: number | undefined;
  private readonly width: number;

  constructor(
    private readonly link: ModbusLink,
    private readonly layout: RingLayout,
    private readonly now: () => number,
  ) {
    this.width = registersPer(layout.encoding);
  }

  async pass(): Promise<SampleChunk[]> {
    const counter = decodeValue(await this.link.read(this.layout.table, this.layout.counterAddress, 2), 0, 'uint32', this.layout.wordOrder);
    const upTo = Math.max(0, counter - this.layout.margin);
    if (this.last === undefined) {
      this.last = upTo;
      return [];
    }
    if (counter < this.last) {
      this.stats.restarts++;
      this.last = upTo;
      return [{ counts: new Int16Array(0), lost: 0, restarted: true }];
    }
    let lost = 0;
    const room = this.layout.size - this.layout.margin;
    if (upTo - this.last > room) {
      lost = upTo - this.last - room;
      this.last = upTo - room;
      this.stats.gaps++;
      this.stats.lostSamples += lost;
    }
    const chunks: SampleChunk[] = [];
    const perRead = Math.floor(MAX_REGISTERS / this.width);
    let requests = 0;
    while (this.last < upTo && requests < MAX_REQUESTS_PER_PASS) {
      const index = this.last % this.layout.size;
      const count = Math.min(upTo - this.last, perRead, this.layout.size - index);
      const registers = await this.link.read(this.layout.table, this.layout.address + index * this.width, count * this.width);
      requests++;
      chunks.push({ counts: sampleCounts(registers, 0, count, this.layout.encoding, this.layout.wordOrder, this.layout.scale), lost, restarted: false });
      lost = 0;
      this.last += count;
      this.stats.samples += count;
      this.stats.lastNewAt = this.now();
    }
    return chunks;
  }
}
