import { Inject, Injectable } from '@nestjs/common';
import { Transform, type Readable } from 'node:stream';
import { Clock } from '../common/clock.js';

export interface Transfer {
  id: string;
  provider: string;
  artifact: string;
  started: string;
  /** Bytes received so far. */
  bytes: number;
  /** What the provider announced (Content-Length of the payload), when it did. */
  expectedBytes: number | null;
  state: 'receiving' | 'done' | 'failed';
  ended: string | null;
  error: string | null;
}

/** Finished transfers kept for the status endpoint and the live page (the received artifacts are in the database). */
const KEEP_FINISHED = 10;

/**
 * Progress of the artifacts this connector is receiving as consumer: bytes so far for each running fetch, and the
 * last ones finished. In memory: a restart ends the transfers anyway.
 */
@Injectable()
export class TransferProgress {
  private readonly running = new Map<string, Transfer>();
  private readonly finished: Transfer[] = [];
  private next = 0;

  constructor(@Inject(Clock) private readonly clock: Clock) {}

  /** Counts what flows through; errors of the source are passed on, so the reader sees them. */
  track(provider: string, artifact: string, source: Readable, expectedBytes: number | null): Readable {
    const transfer: Transfer = {
      id: String(++this.next),
      provider,
      artifact,
      started: this.clock.now().toISOString(),
      bytes: 0,
      expectedBytes,
      state: 'receiving',
      ended: null,
      error: null,
    };
    this.running.set(transfer.id, transfer);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        transfer.bytes += chunk.length;
        done(null, chunk);
      },
    });
    source.once('error', (error) => counter.destroy(error));
    counter.once('error', (error) => this.end(transfer, error));
    counter.once('end', () => this.end(transfer));
    counter.once('close', () =>
      this.end(transfer, transfer.state === 'receiving' && !counter.readableEnded ? new Error('aborted') : undefined),
    );
    return source.pipe(counter);
  }

  list(): Transfer[] {
    return [...this.running.values(), ...this.finished].map((t) => ({ ...t }));
  }

  private end(transfer: Transfer, error?: Error): void {
    if (transfer.state !== 'receiving') return;
    transfer.state = error === undefined ? 'done' : 'failed';
    transfer.error = error?.message ?? null;
    transfer.ended = this.clock.now().toISOString();
    this.running.delete(transfer.id);
    this.finished.unshift(transfer);
    this.finished.length = Math.min(this.finished.length, KEEP_FINISHED);
  }
}
