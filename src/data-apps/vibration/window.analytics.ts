/**
 * Cuts a channel's sample stream into analysis windows of N samples. A gap (lost samples, a PLC restart) ends the
 * current window early: it is handed out as partial, marked with what was lost after it, and not analysed, so no
 * spectrum is ever computed across a discontinuity. Sample times come from counting samples at the nominal rate
 * from the first chunk's arrival, re-anchored when they drift more than 2 s from the clock. Pure.
 */
import type { SampleChunk } from './modbus/waveform.reader.js';

export interface AssembledWindow {
  counts: Int16Array;
  /** ms since the epoch of the first sample. */
  startMs: number;
  complete: boolean;
  /** Samples lost right after this window (-1: unknown, the PLC restarted); 0 for a complete window. */
  missing: number;
}

const DRIFT_MS = 2000;

export class WindowAssembler {
  private readonly buffer: Int16Array;
  private fill = 0;
  private startMs = 0;
  /** Time of the next sample; undefined until the stream (re)starts. */
  private nextMs: number | undefined;

  constructor(
    readonly size: number,
    private readonly sampleRateHz: number,
  ) {
    this.buffer = new Int16Array(size);
  }

  /** Takes a chunk that arrived at `nowMs`; returns the windows it completed (or cut short). */
  push(chunk: SampleChunk, nowMs: number): AssembledWindow[] {
    const out: AssembledWindow[] = [];
    const period = 1000 / this.sampleRateHz;
    if (chunk.restarted || chunk.lost > 0) {
      if (this.fill > 0) out.push(this.partial(chunk.restarted ? -1 : chunk.lost));
      this.fill = 0;
      this.nextMs = chunk.restarted ? undefined : this.nextMs === undefined ? undefined : this.nextMs + chunk.lost * period;
    }
    if (chunk.counts.length === 0) return out;
    const arrivedFirst = nowMs - chunk.counts.length * period;
    if (this.nextMs === undefined || Math.abs(this.nextMs - arrivedFirst) > DRIFT_MS) this.nextMs = arrivedFirst;
    for (let i = 0; i < chunk.counts.length; i++) {
      if (this.fill === 0) this.startMs = this.nextMs + i * period;
      this.buffer[this.fill++] = chunk.counts[i]!;
      if (this.fill === this.size) {
        out.push({ counts: this.buffer.slice(), startMs: this.startMs, complete: true, missing: 0 });
        this.fill = 0;
      }
    }
    this.nextMs += chunk.counts.length * period;
    return out;
  }

  private partial(missing: number): AssembledWindow {
    return { counts: this.buffer.slice(0, this.fill), startMs: this.startMs, complete: false, missing };
  }
}
