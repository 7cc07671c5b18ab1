/** Where a camera's JPEG frames come from; each kind of source is its own class. */
export interface SourceStatus {
  state: string;
  since: Date;
  lastError: string | null;
  frames: number;
  invalid: number;
  reconnects: number;
}

export interface FrameSource {
  /** Starts reading; `onFrame` gets each complete JPEG (the caller keeps only the latest it has no time for). */
  start(onFrame: (jpeg: Buffer) => void): void;
  stop(): Promise<void>;
  readonly status: SourceStatus;
}

/** A source that has produced frames this long is well again: its next failure backs off from the start. */
const STABLE_MS = 10_000;

/**
 * Shared bookkeeping: state changes with their time, and the doubling delay after failures (0.5 s to 30 s). Every
 * kind of failure backs off, and the delay starts over only after a source has been well for STABLE_MS: a camera
 * that connects and then sends a bad frame at once is not reconnected at once, again and again.
 */
export class SourceState {
  readonly status: SourceStatus = { state: 'connecting', since: new Date(), lastError: null, frames: 0, invalid: 0, reconnects: 0 };
  private failures = 0;
  private wellSince: number | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  enter(state: string, error: string | null = this.status.lastError): void {
    if (this.status.state !== state) this.status.since = new Date(this.now());
    this.status.state = state;
    this.status.lastError = error;
  }

  /** A failure: the state says so and the delay before the next attempt is returned. */
  failed(error: unknown): number {
    if (this.wellSince !== undefined && this.now() - this.wellSince >= STABLE_MS) this.failures = 0;
    this.wellSince = undefined;
    this.failures++;
    this.status.reconnects++;
    this.enter('reconnecting', error instanceof Error ? error.message : String(error));
    return Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 10));
  }

  /** Connected, or a frame arrived: the failure before it is over, and no longer the source's error. */
  ok(state = 'streaming'): void {
    const recovered = this.wellSince === undefined;
    this.wellSince ??= this.now();
    this.enter(state, recovered ? null : this.status.lastError);
  }
}

/**
 * Work per camera per second, bounded: past `maxParts` parts or `maxBytes` bytes in a second the connection is
 * paused for the rest of it (TCP flow control then slows the camera down), so a camera streaming tiny frames or junk
 * costs the node a bounded share of its event loop.
 */
export class RateBudget {
  private windowStart = 0;
  private parts = 0;
  private bytes = 0;
  /** Seconds in which the budget ran out. */
  exceeded = 0;

  constructor(
    private readonly maxParts: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a chunk (and the parts it completed); the ms to pause for, or 0. */
  spend(bytes: number, parts: number): number {
    const now = this.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.parts = 0;
      this.bytes = 0;
    }
    this.parts += parts;
    this.bytes += bytes;
    if (this.parts <= this.maxParts && this.bytes <= this.maxBytes) return 0;
    this.exceeded++;
    return Math.max(1, 1000 - (now - this.windowStart));
  }
}
