import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { SourceState, type FrameSource, type SourceStatus } from './frame.source.js';
import { JpegSplitter } from './jpeg-stream.parser.js';

const found = new Map<string, boolean>();

/** Whether an `ffmpeg` is on the PATH (Debian: `apt-get install --no-install-recommends ffmpeg`); asked once. */
export function ffmpegAvailable(binary = 'ffmpeg', again = false): boolean {
  if (again) found.delete(binary);
  let yes = found.get(binary);
  if (yes === undefined) {
    yes = spawnSync(binary, ['-hide_banner', '-version'], { stdio: 'ignore' }).status === 0;
    found.set(binary, yes);
  }
  return yes;
}

/**
 * RTSP (H.264 and friends) through the system's ffmpeg, spawned as a child process: it decodes and re-encodes at
 * the analysis rate as JPEGs on its stdout (image2pipe), split here. The child is restarted with backoff when it
 * exits or stops sending; without ffmpeg the state says so and it is looked for again every minute.
 */
export class RtspSource implements FrameSource {
  private readonly state = new SourceState();
  private child: ChildProcess | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stall: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly transport: 'tcp' | 'udp',
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly ffmpeg = 'ffmpeg',
  ) {}

  get status(): SourceStatus {
    return this.state.status;
  }

  start(onFrame: (jpeg: Buffer) => void): void {
    const run = (): void => {
      if (this.stopped) return;
      if (!ffmpegAvailable(this.ffmpeg, true)) {
        this.state.enter('ffmpeg not installed', 'RTSP needs ffmpeg on the PATH (Debian: apt-get install --no-install-recommends ffmpeg)');
        this.timer = setTimeout(run, 60_000);
        return;
      }
      const fps = Math.max(0.01, 1000 / this.intervalMs).toFixed(3);
      const child = spawn(
        this.ffmpeg,
        ['-hide_banner', '-loglevel', 'error', '-rtsp_transport', this.transport, '-i', this.url, '-an', '-vf', `fps=${fps}`, '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '5', 'pipe:1'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      this.child = child;
      const splitter = new JpegSplitter();
      let stderr = '';
      // First frames take a while (probing, the next key frame): twice the timeout for the first one.
      const watch = (ms: number): void => {
        clearTimeout(this.stall);
        this.stall = setTimeout(() => {
          stderr ||= `no frame for ${ms} ms`;
          child.kill('SIGKILL');
        }, ms);
      };
      watch(2 * this.timeoutMs + this.intervalMs);
      child.stdout.on('data', (chunk: Buffer) => {
        let frames: Buffer[];
        try {
          frames = splitter.push(chunk);
        } catch (error) {
          stderr = (error as Error).message;
          child.kill('SIGKILL');
          return;
        }
        for (const frame of frames) {
          watch(this.timeoutMs + this.intervalMs);
          this.state.status.frames++;
          this.state.ok('streaming');
          onFrame(frame);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-500)));
      child.on('error', (error) => (stderr = error.message));
      child.on('close', (code, signal) => {
        clearTimeout(this.stall);
        if (this.stopped) return;
        // ffmpeg names the URL in its errors: the password in it is not for the status page.
        const reason = (stderr.trim().split('\n').pop() || `ffmpeg exited (${code ?? signal})`).replace(/(\/\/[^:/@\s]+):[^@/\s]*@/g, '$1:********@');
        this.timer = setTimeout(run, this.state.failed(new Error(`ffmpeg: ${reason}`)));
      });
    };
    run();
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.stall);
    const child = this.child;
    this.state.enter('stopped');
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('close', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }
}
