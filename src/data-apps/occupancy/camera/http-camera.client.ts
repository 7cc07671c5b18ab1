import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { digestAuthorization, parseDigestChallenge, type DigestChallenge } from './digest.auth.js';

/** Why a camera request failed, in words an operator reads in the app's status (never with the camera's bytes). */
export class CameraError extends Error {
  constructor(
    message: string,
    readonly kind: 'connect' | 'auth' | 'status' | 'timeout' | 'protocol',
  ) {
    super(message);
  }
}

export interface Credentials {
  user: string;
  password: string;
}

/**
 * GET requests to one camera over HTTP(S) with the authentication it asks for: none, Basic, or Digest (RFC 7616, as
 * Hikvision, Dahua and Axis cameras ask). A Digest challenge is kept and reused with a counting `nc`, so a
 * snapshot poll costs one request, not two; a stale nonce is answered with a new challenge and retried once.
 */
export class HttpCamera {
  private challenge: DigestChallenge | undefined;
  private nc = 0;
  private basic = false;

  constructor(
    private readonly url: string,
    private readonly credentials: Credentials | null,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves with the 200 response (its body still to be read) or rejects with a CameraError. */
  async open(signal?: AbortSignal): Promise<IncomingMessage> {
    let response = await this.send(signal);
    if (response.statusCode === 401 && this.credentials !== null) {
      const headers = challenges(response);
      response.resume();
      const digest = parseDigestChallenge(headers);
      if (digest !== undefined) {
        this.challenge = digest;
        this.nc = 0;
        this.basic = false;
      } else if (headers.some((h) => /^\s*Basic\b/i.test(h))) {
        this.basic = true;
      } else {
        throw new CameraError('the camera asks for an authentication scheme other than Basic or Digest', 'auth');
      }
      response = await this.send(signal);
    }
    if (response.statusCode === 401) {
      response.resume();
      throw new CameraError(this.credentials === null ? 'the camera wants credentials (auth)' : 'the camera refused the credentials', 'auth');
    }
    if (response.statusCode !== 200) {
      response.resume();
      throw new CameraError(`the camera answered HTTP ${response.statusCode}`, 'status');
    }
    return response;
  }

  private authorization(): string | undefined {
    if (this.credentials === null) return undefined;
    if (this.challenge !== undefined) {
      const target = new URL(this.url);
      return digestAuthorization(this.challenge, {
        ...this.credentials,
        method: 'GET',
        uri: target.pathname + target.search,
        cnonce: randomBytes(12).toString('hex'),
        nc: ++this.nc,
      });
    }
    if (this.basic) return 'Basic ' + Buffer.from(`${this.credentials.user}:${this.credentials.password}`).toString('base64');
    return undefined;
  }

  private send(signal?: AbortSignal): Promise<IncomingMessage> {
    const target = new URL(this.url);
    const authorization = this.authorization();
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(target, {
        method: 'GET',
        headers: { accept: 'image/jpeg, multipart/x-mixed-replace', ...(authorization === undefined ? {} : { authorization }) },
        ...(signal === undefined ? {} : { signal }),
      });
      req.setTimeout(this.timeoutMs, () => req.destroy(new CameraError(`no answer within ${this.timeoutMs} ms`, 'timeout')));
      req.on('response', (res) => {
        req.setTimeout(0);
        resolve(res);
      });
      req.on('error', (error: Error) =>
        reject(error instanceof CameraError ? error : new CameraError(`${target.host}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, 'connect')),
      );
      req.end();
    });
  }
}

function challenges(response: IncomingMessage): string[] {
  const out: string[] = [];
  for (let i = 0; i < response.rawHeaders.length; i += 2) {
    if (response.rawHeaders[i].toLowerCase() === 'www-authenticate') out.push(response.rawHeaders[i + 1]);
  }
  return out;
}

/**
 * Reads a whole (bounded) body, failing when it stalls or grows past `maxBytes`, or when the camera announces more.
 * When this side ends the read, the error says so (not "the camera closed the connection").
 */
export function readBody(response: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let cut: CameraError | undefined;
    const end = (error: CameraError): void => {
      cut ??= error;
      response.destroy(error);
    };
    const announced = Number(response.headers['content-length'] ?? Number.NaN);
    if (announced > maxBytes) {
      end(new CameraError(`the node refused a frame: the camera announced ${announced} bytes, over the ${maxBytes}-byte limit`, 'protocol'));
    }
    const timer = setTimeout(() => end(new CameraError(`the node gave up on a frame: its body did not arrive within ${timeoutMs} ms`, 'timeout')), timeoutMs);
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) end(new CameraError(`the node cut a frame off at ${maxBytes} bytes (the frame limit)`, 'protocol'));
      else parts.push(chunk);
    });
    response.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(parts));
    });
    response.on('error', (error: Error) => {
      clearTimeout(timer);
      reject(cut ?? (error instanceof CameraError ? error : new CameraError(`the body broke off: ${error.message}`, 'protocol')));
    });
    response.on('aborted', () => {
      clearTimeout(timer);
      reject(cut ?? new CameraError('the camera closed the connection in the middle of a frame', 'protocol'));
    });
  });
}
