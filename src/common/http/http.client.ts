import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

/** What the connector's outbound calls (DAPS, JWKS, HTTP sources, notifications, webhooks) send. */
export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | URLSearchParams;
  signal?: AbortSignal;
  /** `follow` (the default, as fetch: up to 20) or `error`: a redirect rejects. */
  redirect?: 'follow' | 'error';
}

/** The answer: the part of fetch's `Response` the connector reads; `body` is a Node stream. */
export interface HttpResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: Readable;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type HttpFetch = (url: string | URL, init?: HttpRequestInit) => Promise<HttpResponse>;

export interface HttpClientOptions {
  /** Trusted CAs for HTTPS; they replace the system roots (give those too to keep them). Default: the system roots. */
  ca?: string[];
  /** To connect and receive the response headers. */
  connectTimeoutMs?: number;
  /** Longest pause between two pieces of the body: a long transfer that keeps flowing is never cut off. */
  idleTimeoutMs?: number;
}

const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A fetch-like client on `node:http`/`node:https`, with keep-alive agents of its own. Not fetch itself: Node's
 * fetch, and the `undici` package a custom CA needs, load a second HTTP stack (llhttp compiled to WebAssembly, its
 * own streams and body mixins) that stays resident once an edge node has called its DAPS; the idle RSS of the
 * exchange bench (`npm run bench`) is taken after such calls. Redirects follow fetch's rules (RFC 9110 section
 * 15.4: 303, and 301/302 after a POST, become a GET without body).
 */
export function httpClient(options: HttpClientOptions = {}): HttpFetch {
  const agents: Record<string, HttpAgent> = {
    'http:': new HttpAgent({ keepAlive: true }),
    'https:': new HttpsAgent({ keepAlive: true, ...(options.ca === undefined ? {} : { ca: options.ca }) }),
  };
  return async (input, init = {}) => {
    let url = new URL(input);
    let method = (init.method ?? 'GET').toUpperCase();
    let body = bodyOf(init.body);
    let headers = headersOf(init);
    for (let hops = 0; ; hops++) {
      const response = await exchange(url, { method, headers, agent: agents[url.protocol], signal: init.signal }, body, options);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined) return new NodeResponse(response);
      response.resume();
      if (init.redirect === 'error') throw new TypeError(`${url.href} redirected (HTTP ${response.statusCode}) and redirects are refused`);
      if (hops >= MAX_REDIRECTS) throw new TypeError(`${url.href}: more than ${MAX_REDIRECTS} redirects`);
      url = new URL(location, url);
      if (response.statusCode === 303 || (method === 'POST' && (response.statusCode === 301 || response.statusCode === 302))) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)));
      }
    }
  };
}

function bodyOf(body: HttpRequestInit['body']): Buffer | undefined {
  if (body === undefined) return undefined;
  return Buffer.isBuffer(body) ? body : Buffer.from(body.toString());
}

function headersOf(init: HttpRequestInit): Record<string, string> {
  const headers = { ...init.headers };
  const named = (name: string): boolean => Object.keys(headers).some((h) => h.toLowerCase() === name);
  if (init.body instanceof URLSearchParams && !named('content-type')) {
    headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
  }
  return headers;
}

/**
 * One request: resolves with the response once its headers are in. A keep-alive connection the server closed while
 * it sat idle can be picked for the next request before its close arrives; the request then fails with a reset and no
 * answer, and it never reached the server, so it is sent once more on a new connection (the pattern Node documents
 * for `request.reusedSocket`). Any other failure, or a second one, is the caller's.
 */
async function exchange(url: URL, request: RequestOptions, body: Buffer | undefined, options: HttpClientOptions): Promise<IncomingMessage> {
  const first = await attempt(url, request, body, options);
  if (!('stale' in first)) return first.response;
  const second = await attempt(url, request, body, options);
  if ('stale' in second) throw second.stale;
  return second.response;
}

type Attempt = { response: IncomingMessage } | { stale: Error };

const RESET = new Set(['ECONNRESET', 'EPIPE']);

function attempt(url: URL, request: RequestOptions, body: Buffer | undefined, options: HttpClientOptions): Promise<Attempt> {
  const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : undefined;
  if (send === undefined) return Promise.reject(new TypeError(`${url.href}: only http and https are supported`));
  return new Promise((resolve, reject) => {
    const headers = {
      ...(request.headers as Record<string, string>),
      ...(body === undefined ? {} : { 'content-length': String(body.length) }),
    };
    const req = send(url, { ...request, headers });
    const timer =
      options.connectTimeoutMs === undefined
        ? undefined
        : setTimeout(
            () => req.destroy(new Error(`no answer from ${url.origin} within ${options.connectTimeoutMs} ms`)),
            options.connectTimeoutMs,
          );
    req.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (req.reusedSocket && RESET.has(error.code ?? '')) resolve({ stale: error });
      else reject(error);
    });
    req.once('response', (response) => {
      clearTimeout(timer);
      const idle = options.idleTimeoutMs;
      if (idle !== undefined) {
        req.setTimeout(idle, () => response.destroy(new Error(`${url.origin} sent nothing for ${idle} ms`)));
        response.once('end', () => req.setTimeout(0));
      }
      resolve({ response });
    });
    req.end(body);
  });
}

class NodeResponse implements HttpResponse {
  readonly headers: { get(name: string): string | null };

  constructor(private readonly response: IncomingMessage) {
    this.headers = {
      get: (name) => {
        const value = response.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get body(): Readable {
    return this.response;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const whole = await this.bytes();
    return whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  private async bytes(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.response) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
