import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, any>;

export interface FakeReply {
  header: Json;
  payload?: string;
}

/**
 * A peer that speaks just enough IDS (multipart/form-data, TRUE's dummy token) to answer with whatever a test
 * wants it to: a hostile or broken provider, which no real connector would be. Real HTTP on 127.0.0.1.
 */
export class FakePeer {
  readonly received: { header: Json; payload: string | null }[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(answer: (request: { header: Json; payload: string | null }) => FakeReply): Promise<FakePeer> {
    const holder: { peer?: FakePeer } = {};
    const server = createServer((req, res) => {
      void readParts(req).then((parts) => {
        const request = { header: JSON.parse(parts.header ?? '{}') as Json, payload: parts.payload };
        holder.peer?.received.push(request);
        const reply = answer(request);
        const b = `f${randomUUID()}`;
        let body = `--${b}\r\nContent-Disposition: form-data; name="header"\r\nContent-Type: application/ld+json\r\n\r\n${JSON.stringify(reply.header)}\r\n`;
        if (reply.payload !== undefined) {
          body += `--${b}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: application/ld+json\r\n\r\n${reply.payload}\r\n`;
        }
        res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${b}` }).end(body + `--${b}--\r\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.peer = new FakePeer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/data`);
    return holder.peer;
  }

  /** A reply header as a TRUE peer with DAPS disabled writes it, correlated to `request` unless told otherwise. */
  static replyTo(request: Json, type: string, fields: Json = {}): Json {
    return {
      '@context': { ids: 'https://w3id.org/idsa/core/', idsc: 'https://w3id.org/idsa/code/' },
      '@type': type,
      '@id': `https://w3id.org/idsa/autogen/message/${randomUUID()}`,
      'ids:modelVersion': '4.2.7',
      'ids:issued': { '@value': new Date().toISOString(), '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' },
      'ids:issuerConnector': { '@id': 'https://fake-peer.example/connector' },
      'ids:senderAgent': { '@id': 'https://fake-peer.example/connector' },
      'ids:correlationMessage': { '@id': request['@id'] },
      'ids:securityToken': {
        '@type': 'ids:DynamicAttributeToken',
        'ids:tokenValue': 'DummyTokenValue',
        'ids:tokenFormat': { '@id': 'https://w3id.org/idsa/code/JWT' },
      },
      ...fields,
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function readParts(req: IncomingMessage): Promise<{ header?: string; payload: string | null }> {
  return new Promise((resolve, reject) => {
    const out: { header?: string; payload: string | null } = { payload: null };
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => {
      if (name === 'header') out.header = value;
      if (name === 'payload') out.payload = value;
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (name === 'header') out.header = Buffer.concat(chunks).toString('utf8');
        if (name === 'payload') out.payload = Buffer.concat(chunks).toString('utf8');
      });
    });
    parser.on('close', () => resolve(out));
    parser.on('error', reject);
    req.pipe(parser);
  });
}
