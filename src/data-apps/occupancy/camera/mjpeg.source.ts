import type { IncomingMessage } from 'node:http';
import { HttpCamera, type Credentials } from './http-camera.client.js';
import { RateBudget, SourceState, type FrameSource, type SourceStatus } from './frame.source.js';
import { FrameTooLargeError, looksLikeJpeg, MjpegParser } from './jpeg-stream.parser.js';

/** Parts a camera may send per second (a camera runs at 30 fps at most; occupancy needs one frame every seconds). */
const MAX_PARTS_PER_SECOND = 60;
/** Bytes a camera may send per second (a 4K MJPEG at 30 fps is about 20 MB/s). */
const MAX_BYTES_PER_SECOND = 32 << 20;

/**
 * MJPEG over HTTP (`multipart/x-mixed-replace`): one long response, parsed as it arrives (each byte searched once).
 * A stream that stalls (no frame within the timeout), closes, or sends what is not a JPEG is reconnected with
 * backoff; what happened is the source's state, in words that say who cut the stream. What a camera may cost per
 * second is bounded (RateBudget): past it the connection is paused for the rest of the second.
 */
export class MjpegSource implements FrameSource {
  private readonly state = new SourceState();
  private readonly camera: HttpCamera;
  private response: IncomingMessage | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stall: NodeJS.Timeout | undefined;
  private stopped = false;
  private abort = new AbortController();
  private readonly budget = new RateBudget(MAX_PARTS_PER_SECOND, MAX_BYTES_PER_SECOND);
  private pause: NodeJS.Timeout | undefined;

  constructor(
    url: string,
    credentials: Credentials | null,
    private readonly timeoutMs: number,
  ) {
    this.camera = new HttpCamera(url, credentials, timeoutMs);
  }

  get status(): SourceStatus {
    return this.state.status;
  }

  start(onFrame: (jpeg: Buffer) => void): void {
    const connect = async (): Promise<void> => {
      try {
        const response = await this.camera.open(this.abort.signal);
        const boundary = MjpegParser.boundaryOf(response.headers['content-type']);
        if (boundary === undefined) {
          response.destroy();
          throw new Error(`not an MJPEG stream (${response.headers['content-type'] ?? 'no content type'})`);
        }
        this.response = response;
        this.state.ok('connected');
        await this.read(response, new MjpegParser(boundary), onFrame);
      } catch (error) {
        if (this.stopped) return;
        this.timer = setTimeout(() => void connect(), this.state.failed(error));
      }
    };
    void connect();
  }

  private read(response: IncomingMessage, parser: MjpegParser, onFrame: (jpeg: Buffer) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      // Why this side ended the stream, when it did: said instead of "the camera closed the connection".
      let cut: Error | undefined;
      const end = (error: Error): void => {
        cut ??= error;
        response.destroy(error);
      };
      const watch = (): void => {
        clearTimeout(this.stall);
        this.stall = setTimeout(() => end(new Error(`no frame for ${this.timeoutMs} ms: the stream stalled`)), this.timeoutMs);
      };
      watch();
      response.on('data', (chunk: Buffer) => {
        let frames: Buffer[];
        try {
          frames = parser.push(chunk);
        } catch (error) {
          end(error instanceof FrameTooLargeError ? new Error(`the node cut the stream: ${error.message}`) : (error as Error));
          return;
        }
        for (const frame of frames) {
          if (!looksLikeJpeg(frame)) {
            this.state.status.invalid++;
            this.state.status.lastError = `a part of ${frame.length} bytes is not a JPEG`;
            continue;
          }
          watch();
          this.state.status.frames++;
          this.state.ok('streaming');
          onFrame(frame);
        }
        const wait = this.budget.spend(chunk.length, frames.length);
        if (wait > 0 && !response.isPaused()) {
          response.pause();
          this.state.status.lastError = `the camera sends more than ${MAX_PARTS_PER_SECOND} parts or ${MAX_BYTES_PER_SECOND >> 20} MiB a second: read more slowly`;
          this.pause = setTimeout(() => response.resume(), wait);
        }
      });
      const done = (error?: Error): void => {
        clearTimeout(this.stall);
        clearTimeout(this.pause);
        reject(cut ?? error ?? new Error('the camera ended the stream'));
      };
      response.on('error', (error: Error) => done(error));
      response.on('aborted', () => done(new Error('the camera closed the connection in the middle of a frame')));
      response.on('end', () => done());
      response.on('close', () => {
        if (this.stopped) resolve();
      });
    });
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.stall);
    clearTimeout(this.pause);
    this.abort.abort();
    this.response?.destroy();
    this.state.enter('stopped');
    return Promise.resolve();
  }
}
