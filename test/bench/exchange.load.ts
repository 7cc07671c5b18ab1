/**
 * The load generator of the "IDS exchange" bench: an IDS client speaking multipart/form-data to `/data` directly
 * (a fresh message @id per request, a real DAT), keep-alive, N requests in flight for a given time; and the bare
 * baseline: a plain Node `http` server that parses the same multipart request and answers the same bytes.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { artifactRequestHeader } from '../support/ids.fixtures.js';

export interface LoadResult {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export type HeaderShape = 'prefixed' | 'unprefixed';

/** The ArtifactRequestMessage header, as TRUE's ECC writes it (prefixed) or as DSC and TRUE's data app send it. */
export function artifactRequest(shape: HeaderShape, issuer: string, artifact: string, agreement: string, token: string): string {
  if (shape === 'prefixed') return JSON.stringify(artifactRequestHeader(issuer, artifact, agreement, token));
  const id = `https://w3id.org/idsa/autogen/artifactRequestMessage/${randomUUID()}`;
  const issued = new Date().toISOString();
  return JSON.stringify({
    '@context': 'https://w3id.org/idsa/contexts/context.jsonld',
    '@type': 'ArtifactRequestMessage',
    '@id': id,
    modelVersion: '4.1.0',
    issued: { '@value': issued, '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' },
    issuerConnector: { '@id': issuer },
    senderAgent: { '@id': issuer },
    requestedArtifact: { '@id': artifact },
    transferContract: { '@id': agreement },
    securityToken: {
      '@type': 'DynamicAttributeToken',
      '@id': `https://w3id.org/idsa/autogen/dynamicAttributeToken/${randomUUID()}`,
      tokenValue: token,
      tokenFormat: { '@id': 'https://w3id.org/idsa/code/JWT' },
    },
  });
}

export function form(header: string): { body: Buffer; type: string } {
  const b = `fep${randomUUID().replace(/-/g, '')}`;
  const body = `--${b}\r\nContent-Disposition: form-data; name="header"\r\nContent-Type: application/ld+json\r\n\r\n${header}\r\n--${b}--\r\n`;
  return { body: Buffer.from(body), type: `multipart/form-data; boundary=${b}` };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/**
 * `inflight` loops, each sending one request after the other for `ms` (or until `count` requests are sent, when
 * that comes first). A request is an error when it is not HTTP 200 or its answer is not an ArtifactResponseMessage
 * with the payload.
 */
export async function load(
  url: string,
  makeHeader: () => string,
  inflight: number,
  ms: number,
  expect: string,
  count = Infinity,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: inflight });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + ms;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const { body, type } = form(makeHeader());
      const started = performance.now();
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': type, 'content-length': body.length } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          latencies.push(performance.now() - started);
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200 || !text.includes('ArtifactResponseMessage') || !text.includes(expect)) errors++;
          resolve();
        });
        res.on('error', () => {
          errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: inflight }, async () => {
      while (performance.now() < end && sent < count) {
        sent++;
        await one();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** The bare baseline: reads the multipart body, parses its header part, answers a multipart ArtifactResponseMessage with `payload`. */
export async function bareServer(payload: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const boundary = /boundary=([^;]+)/.exec(String(req.headers['content-type']))?.[1] ?? '';
      const text = Buffer.concat(chunks).toString('utf8');
      const part = text.split(`--${boundary}`).find((p) => p.includes('name="header"')) ?? '';
      const header = JSON.parse(part.slice(part.indexOf('\r\n\r\n') + 4).trimEnd()) as Record<string, unknown>;
      const reply = JSON.stringify({
        '@context': { ids: 'https://w3id.org/idsa/core/' },
        '@type': 'ids:ArtifactResponseMessage',
        '@id': `https://w3id.org/idsa/autogen/artifactResponseMessage/${randomUUID()}`,
        'ids:correlationMessage': { '@id': header['@id'] },
      });
      const b = `fep${randomUUID().replace(/-/g, '')}`;
      const body = Buffer.concat([
        Buffer.from(
          `--${b}\r\nContent-Disposition: form-data; name="header"\r\nContent-Type: application/ld+json\r\n\r\n${reply}\r\n--${b}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/json\r\n\r\n`,
        ),
        payload,
        Buffer.from(`\r\n--${b}--\r\n`),
      ]);
      res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${b}`, 'content-length': body.length }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/data`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
