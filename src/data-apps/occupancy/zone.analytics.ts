/**
 * Occupancy per zone, pure: a person is in a zone when the bottom centre of its box (where it stands) lies inside the
 * zone's polygon (image pixels); counts are smoothed so that a flickering detection does not produce change events:
 * the median of the last k frames, reported only when it differs from the reported count by at least `hysteresis`
 * people, or for `holdMs` it has differed at all.
 */
import type { Box } from './yolo.decoder.js';

export type Point = [number, number];

/** Even-odd ray casting (Shimrat 1962, Algorithm 112). */
export function insidePolygon([x, y]: Point, polygon: readonly Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function countInZone(boxes: readonly Box[], polygon: readonly Point[] | null): number {
  if (polygon === null) return boxes.length;
  return boxes.filter((b) => insidePolygon([(b.x1 + b.x2) / 2, b.y2], polygon)).length;
}

export interface SmoothingRules {
  /** Frames the median is taken over. */
  window: number;
  /** A change this large (people) is reported at once... */
  hysteresis: number;
  /** ...a smaller one once it has held this long (ms). */
  holdMs: number;
}

export interface OccupancyChange {
  from: number | null;
  to: number;
  at: number;
}

export class OccupancySmoother {
  private readonly recent: number[] = [];
  reported: number | null = null;
  private differingSince: number | undefined;

  constructor(private readonly rules: SmoothingRules) {}

  /** One frame's raw count at `at` (ms); the change to report, if any. */
  observe(count: number, at: number): OccupancyChange | undefined {
    this.recent.push(count);
    if (this.recent.length > this.rules.window) this.recent.shift();
    const sorted = [...this.recent].sort((a, b) => a - b);
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    if (this.reported === null) {
      if (this.recent.length < Math.min(this.rules.window, 3)) return undefined;
      return this.report(median, at);
    }
    if (median === this.reported) {
      this.differingSince = undefined;
      return undefined;
    }
    this.differingSince ??= at;
    if (Math.abs(median - this.reported) >= this.rules.hysteresis || at - this.differingSince >= this.rules.holdMs) return this.report(median, at);
    return undefined;
  }

  private report(to: number, at: number): OccupancyChange {
    const change = { from: this.reported, to, at };
    this.reported = to;
    this.differingSince = undefined;
    return change;
  }
}

/** A time series at a fixed resolution: per bucket the mean, minimum and maximum of the smoothed counts. */
export class OccupancySeries {
  private bucket: { start: number; sum: number; n: number; min: number; max: number } | undefined;

  constructor(private readonly resolutionMs: number) {}

  /** Adds a count; returns the bucket that closed, if one did. */
  add(count: number, at: number): { start: number; end: number; mean: number; min: number; max: number; frames: number } | undefined {
    const start = Math.floor(at / this.resolutionMs) * this.resolutionMs;
    let closed;
    if (this.bucket !== undefined && this.bucket.start !== start) {
      const b = this.bucket;
      closed = { start: b.start, end: b.start + this.resolutionMs, mean: Math.round((b.sum / b.n) * 100) / 100, min: b.min, max: b.max, frames: b.n };
      this.bucket = undefined;
    }
    this.bucket ??= { start, sum: 0, n: 0, min: count, max: count };
    this.bucket.sum += count;
    this.bucket.n++;
    this.bucket.min = Math.min(this.bucket.min, count);
    this.bucket.max = Math.max(this.bucket.max, count);
    return closed;
  }
}
