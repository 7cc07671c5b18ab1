import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface EventLoopDelay {
  /** Since the last reset (or the start). */
  since: string;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * How late the event loop runs (Node's own histogram, sampled every 5 ms): the figure that says whether CPU-heavy
 * work stalls the IDS and admin endpoints. Operators read it from `GET /api/runtime`; the benchmark resets it
 * around its measurements.
 */
@Injectable()
export class EventLoopMonitor implements OnModuleInit, OnModuleDestroy {
  private histogram: IntervalHistogram | undefined;
  private since = new Date();

  onModuleInit(): void {
    this.histogram = monitorEventLoopDelay({ resolution: 5 });
    this.histogram.enable();
  }

  onModuleDestroy(): void {
    this.histogram?.disable();
  }

  reset(): void {
    this.histogram?.reset();
    this.since = new Date();
  }

  delay(): EventLoopDelay {
    const h = this.histogram;
    const ms = (ns: number): number => Math.round((ns / 1e6) * 100) / 100;
    // The histogram counts the sampling interval in each delay; what is reported is the lateness beyond it.
    const late = (ns: number): number => Math.max(0, ms(ns) - 5);
    return {
      since: this.since.toISOString(),
      p50Ms: h === undefined || h.count === 0 ? 0 : late(h.percentile(50)),
      p99Ms: h === undefined || h.count === 0 ? 0 : late(h.percentile(99)),
      maxMs: h === undefined || h.count === 0 ? 0 : late(h.max),
    };
  }
}
