import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  /** PEM CA to trust for https:// URLs. */
  ca?: string;
  /** TLS client certificate (mutual TLS). */
  key?: string;
  cert?: string;
  /** A keep-alive agent (http.Agent for http:, https.Agent for https:). */
  agent?: Agent;
}

/** A plain Node HTTP(S) client for tests: real sockets, no mocking, custom CA for the dev certificates. */
export function send(method: string, url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const tls = {
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.key && options.cert ? { key: options.key, cert: options.cert } : {}),
    };
    const req = make(target, { method, headers: options.headers, ...tls, ...(options.agent ? { agent: options.agent } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    const body = options.body;
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}
