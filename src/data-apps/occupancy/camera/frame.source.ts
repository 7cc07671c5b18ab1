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

/** Shared bookkeeping: state changes with their time, and the doubling delay after failures (0.5 s to 30 s). */
export class SourceState {
  readonly status: SourceStatus = { state: 'connecting', since: new Date(), lastError: null, frames: 0, invalid: 0, reconnects: 0 };
  private failures = 0;

  enter(state: string, error: string | null = this.status.lastError): void {
    if (this.status.state !== state) this.status.since = new Date();
    this.status.state = state;
    this.status.lastError = error;
  }

  /** A failure: the state says so and the delay before the next attempt is returned. */
  failed(error: unknown): number {
    this.failures++;
    this.status.reconnects++;
    this.enter('reconnecting', error instanceof Error ? error.message : String(error));
    return Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 10));
  }

  ok(state = 'streaming'): void {
    this.failures = 0;
    this.enter(state, this.status.lastError);
  }
}
