import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { digestResponse, params, type DigestChallenge } from '../camera/digest.auth.js';

export interface FakeCameraOptions {
  host?: string;
  port?: number;
  /** The frames shown in turn, each for `holdMs` (a scene that changes). */
  frames: Buffer[];
  holdMs?: number;
  /** MJPEG frame rate. */
  fps?: number;
  /** Ask for credentials as a Hikvision-style camera does: Digest (SHA-256 and MD5 offered) or Basic. */
  auth?: { user: string; password: string; scheme: 'digest' | 'basic' };
}

export type CameraFault = 'none' | 'stall' | 'garbage' | 'close-mid-frame';

/**
 * An IP camera on 127.0.0.1 for the demo and the tests: `GET /snapshot.jpg` (the current frame) and `GET /stream`
 * (MJPEG, `multipart/x-mixed-replace`, each part with its Content-Length, paced, honouring back-pressure), optionally
 * behind Digest or Basic authentication, with faults to inject: a stall, garbage parts, a connection closed in the
 * middle of a frame.
 */
export class FakeCamera {
  fault: CameraFault = 'none';
  /** Requests seen, and those that were authorised. */
  readonly requests = { total: 0, authorised: 0 };
  private server: Server | undefined;
  private frames: Buffer[];
  private since = Date.now();
  private readonly nonce = randomBytes(16).toString('base64');
  private readonly streams = new Set<ServerResponse>();

  constructor(private readonly options: FakeCameraOptions) {
    this.frames = options.frames;
  }

  get url(): string {
    return `http://${this.options.host ?? '127.0.0.1'}:${(this.server?.address() as AddressInfo).port}`;
  }

  /** Shows other frames from now on. */
  show(frames: Buffer[]): void {
    this.frames = frames;
    this.since = Date.now();
  }

  current(): Buffer {
    const hold = this.options.holdMs ?? 10_000;
    return this.frames[Math.floor((Date.now() - this.since) / hold) % this.frames.length];
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  async stop(): Promise<void> {
    for (const stream of this.streams) stream.destroy();
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.total++;
    if (!this.authorised(req)) {
      const auth = this.options.auth!;
      const challenges =
        auth.scheme === 'digest'
          ? [
              `Digest realm="fake-camera", qop="auth", algorithm=SHA-256, nonce="${this.nonce}", opaque="cam"`,
              `Digest realm="fake-camera", qop="auth", algorithm=MD5, nonce="${this.nonce}", opaque="cam"`,
            ]
          : ['Basic realm="fake-camera"'];
      res.writeHead(401, { 'www-authenticate': challenges }).end();
      return;
    }
    this.requests.authorised++;
    if (this.fault === 'stall') return; // never answers
    if (req.url === '/snapshot.jpg') {
      const frame = this.fault === 'garbage' ? Buffer.from('<html>not a picture</html>') : this.current();
      if (this.fault === 'close-mid-frame') {
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': frame.length });
        res.write(frame.subarray(0, frame.length >> 1), () => res.destroy());
        return;
      }
      res.writeHead(200, { 'content-type': this.fault === 'garbage' ? 'text/html' : 'image/jpeg', 'content-length': frame.length }).end(frame);
      return;
    }
    if (req.url === '/stream') {
      this.stream(res);
      return;
    }
    res.writeHead(404).end();
  }

  private stream(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'multipart/x-mixed-replace; boundary=myboundary', 'cache-control': 'no-cache' });
    this.streams.add(res);
    const period = 1000 / (this.options.fps ?? 5);
    let timer: NodeJS.Timeout | undefined;
    const send = (): void => {
      if (res.destroyed) return;
      if (this.fault === 'stall') {
        timer = setTimeout(send, period);
        return;
      }
      const frame = this.fault === 'garbage' ? Buffer.from('garbage garbage garbage') : this.current();
      const head = Buffer.from(`--myboundary\r\nContent-Type: image/jpeg\r\nContent-Length: ${frame.length}\r\n\r\n`);
      if (this.fault === 'close-mid-frame') {
        res.write(Buffer.concat([head, frame.subarray(0, frame.length >> 1)]), () => res.destroy());
        return;
      }
      const ok = res.write(Buffer.concat([head, frame, Buffer.from('\r\n')]));
      if (ok) timer = setTimeout(send, period);
      else res.once('drain', () => (timer = setTimeout(send, period)));
    };
    send();
    res.on('close', () => {
      clearTimeout(timer);
      this.streams.delete(res);
    });
  }

  private authorised(req: IncomingMessage): boolean {
    const auth = this.options.auth;
    if (auth === undefined) return true;
    const header = req.headers.authorization ?? '';
    if (auth.scheme === 'basic') return header === 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64');
    const m = /^Digest\s+(.*)$/is.exec(header);
    if (m === null) return false;
    const p = params(m[1]);
    if (p.get('username') !== auth.user || p.get('nonce') !== this.nonce || p.get('realm') !== 'fake-camera') return false;
    const algorithm = (p.get('algorithm') ?? 'MD5') as DigestChallenge['algorithm'];
    const challenge: DigestChallenge = { realm: 'fake-camera', nonce: this.nonce, algorithm, ...(p.get('qop') === 'auth' ? { qop: 'auth' as const } : {}) };
    const expected = digestResponse(challenge, {
      user: auth.user,
      password: auth.password,
      method: req.method ?? 'GET',
      uri: p.get('uri') ?? '',
      cnonce: p.get('cnonce') ?? '',
      nc: parseInt(p.get('nc') ?? '0', 16),
    });
    return p.get('uri') === req.url && p.get('response') === expected;
  }
}
