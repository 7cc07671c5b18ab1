import { HttpCamera, readBody, type Credentials } from './http-camera.client.js';
import { SourceState, type FrameSource, type SourceStatus } from './frame.source.js';
import { looksLikeJpeg } from './jpeg-stream.parser.js';

const MAX_FRAME = 16 << 20;

/** HTTP snapshot polling (`GET /snapshot.jpg`, ONVIF GetSnapshotUri): one request per interval; failures back off. */
export class SnapshotSource implements FrameSource {
  private readonly state = new SourceState();
  private readonly camera: HttpCamera;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private abort = new AbortController();

  constructor(
    url: string,
    credentials: Credentials | null,
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
  ) {
    this.camera = new HttpCamera(url, credentials, timeoutMs);
  }

  get status(): SourceStatus {
    return this.state.status;
  }

  start(onFrame: (jpeg: Buffer) => void): void {
    const poll = async (): Promise<void> => {
      let delay: number | undefined;
      const started = Date.now();
      try {
        const response = await this.camera.open(this.abort.signal);
        const body = await readBody(response, MAX_FRAME, this.timeoutMs);
        if (looksLikeJpeg(body)) {
          this.state.status.frames++;
          this.state.ok('polling');
          onFrame(body);
        } else {
          this.state.status.invalid++;
          // Said without the answer's type or size: a camera URL may point at an internal service.
          delay = this.state.failed(new Error('the answer is not a JPEG image'));
        }
        delay ??= Math.max(0, this.intervalMs - (Date.now() - started));
      } catch (error) {
        if (this.stopped) return;
        delay = this.state.failed(error);
      }
      if (!this.stopped) this.timer = setTimeout(() => void poll(), delay);
    };
    void poll();
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    this.state.enter('stopped');
    return Promise.resolve();
  }
}
