import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Party } from './pki.fixture.js';
import type { TestDaps } from './test-daps.server.js';

type Json = Record<string, any>;

export interface IdsRequestParts {
  header: Json;
  payload: Buffer | null;
  /** The verified DAT's claims. */
  claims: Json;
}

export interface IdsReply {
  status: number;
  type: string;
  fields?: Json;
  payload?: string;
  payloadType?: string;
}

/**
 * A real HTTP server speaking the IDS multipart (form-data) format, for test brokers and clearing houses: it
 * parses header and payload, checks the DAT against the test DAPS (signature, issuer, referringConnector =
 * issuerConnector), and answers with a signed message of its own. It can be stopped and started on its port.
 */
export abstract class IdsTestService {
  private server: Server | undefined;
  port = 0;
  /** Every request that passed the DAT check, in arrival order. */
  readonly received: { path: string; header: Json; payload: string | null }[] = [];
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;

  protected constructor(
    protected readonly daps: TestDaps,
    protected readonly party: Party,
  ) {
    this.jwks = createRemoteJWKSet(new URL(daps.jwksUrl));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  protected abstract handle(path: string, request: IdsRequestParts): Promise<IdsReply> | IdsReply;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let header: Json | undefined;
    try {
      const parts = await readForm(req);
      header = JSON.parse(parts.header ?? 'null') as Json;
      if (!header || typeof header !== 'object') {
        return void (await this.reply(res, undefined, {
          status: 400,
          type: 'ids:RejectionMessage',
          fields: { 'ids:rejectionReason': { '@id': 'idsc:MALFORMED_MESSAGE' } },
        }));
      }
      const claims = await this.checkToken(header);
      if (claims === undefined) {
        return void (await this.reply(res, header, {
          status: 401,
          type: 'ids:RejectionMessage',
          fields: { 'ids:rejectionReason': { '@id': 'idsc:NOT_AUTHENTICATED' } },
          payload: 'An error occurred while verifying your token',
        }));
      }
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.received.push({ path, header, payload: parts.payload?.toString('utf8') ?? null });
      await this.reply(res, header, await this.handle(path, { header, payload: parts.payload, claims }));
    } catch (error) {
      await this.reply(res, header, {
        status: 500,
        type: 'ids:RejectionMessage',
        fields: { 'ids:rejectionReason': { '@id': 'idsc:INTERNAL_RECIPIENT_ERROR' } },
        payload: String(error),
      });
    }
  }

  private async checkToken(header: Json): Promise<Json | undefined> {
    const token = header['ids:securityToken']?.['ids:tokenValue'];
    if (typeof token !== 'string') return undefined;
    try {
      const { payload } = await jwtVerify(token, this.jwks, { issuer: this.daps.issuer });
      const issuer = header['ids:issuerConnector']?.['@id'];
      return payload['referringConnector'] === undefined || payload['referringConnector'] === issuer ? payload : undefined;
    } catch {
      return undefined;
    }
  }

  private async reply(res: ServerResponse, request: Json | undefined, reply: IdsReply): Promise<void> {
    const token = await this.daps.mint(this.party.clientId);
    const header = {
      '@context': { ids: 'https://w3id.org/idsa/core/', idsc: 'https://w3id.org/idsa/code/' },
      '@type': reply.type,
      '@id': `https://w3id.org/idsa/autogen/message/${randomUUID()}`,
      'ids:modelVersion': '4.2.7',
      'ids:issued': { '@value': new Date().toISOString(), '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' },
      'ids:issuerConnector': { '@id': this.party.connectorId },
      'ids:senderAgent': { '@id': this.party.connectorId },
      'ids:securityToken': { '@type': 'ids:DynamicAttributeToken', 'ids:tokenValue': token, 'ids:tokenFormat': { '@id': 'idsc:JWT' } },
      ...(request?.['@id'] ? { 'ids:correlationMessage': { '@id': request['@id'] } } : {}),
      ...(request?.['ids:issuerConnector'] ? { 'ids:recipientConnector': [request['ids:issuerConnector']] } : {}),
      ...reply.fields,
    };
    const b = `b${randomUUID()}`;
    let body = `--${b}\r\nContent-Disposition: form-data; name="header"\r\nContent-Type: application/ld+json\r\n\r\n${JSON.stringify(header)}\r\n`;
    if (reply.payload !== undefined) {
      body += `--${b}\r\nContent-Disposition: form-data; name="payload"\r\nContent-Type: ${reply.payloadType ?? 'text/plain'}\r\n\r\n${reply.payload}\r\n`;
    }
    body += `--${b}--\r\n`;
    res.writeHead(reply.status, { 'content-type': `multipart/form-data; boundary=${b}` }).end(body);
  }
}

function readForm(req: IncomingMessage): Promise<{ header?: string; payload: Buffer | null }> {
  return new Promise((resolve, reject) => {
    const out: { header?: string; payload: Buffer | null } = { payload: null };
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => {
      if (name === 'header') out.header = value;
      if (name === 'payload') out.payload = Buffer.from(value);
    });
    parser.on('file', (name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const data = Buffer.concat(chunks);
        if (name === 'header') out.header = data.toString('utf8');
        if (name === 'payload') out.payload = data;
      });
    });
    parser.on('close', () => resolve(out));
    parser.on('error', reject);
    req.pipe(parser);
  });
}
