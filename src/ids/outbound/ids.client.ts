import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { ConnectorError } from '../../common/connector.error.js';
import { CONNECTOR_CONFIG } from '../../config/config.module.js';
import type { ConnectorConfig } from '../../config/connector.config.js';
import type { ConnectorIdentity } from '../../daps/connector-identity.js';
import { CONNECTOR_IDENTITY } from '../../daps/identity.token.js';
import { TokenProvider } from '../../daps/token.seam.js';
import { reference } from '../infomodel/jsonld.reader.js';
import type { JsonLd } from '../infomodel/jsonld.writer.js';
import { toPrefixedForm } from '../infomodel/local-context.js';
import { tokenNode } from '../messages/message.builder.js';
import { parseMessage } from '../messages/message.parser.js';
import type { IdsMessage } from '../messages/message.types.js';
import { decodeMessage, detectTransport, encodeMessage, readPayload, type Transport } from '../transport/ids-transport.codec.js';
import type { OutboundPayload } from '../transport/multipart.writer.js';
import { RemoteRejectionError } from './remote-rejection.error.js';

export interface IdsRequest {
  /** The remote IDS endpoint, e.g. https://provider:8889/data. */
  url: string;
  /** The message; the client puts the current token into it. */
  header: JsonLd;
  payload?: OutboundPayload;
  /** Per call; else the peer's configured transport; else FEP_IDS_TRANSPORT. */
  transport?: Transport;
  timeoutMs?: number;
}

export interface IdsResponse {
  message: IdsMessage;
  /** The raw reply header, as received. */
  header: JsonLd;
  payload: Readable | null;
  payloadContentType?: string;
  transport: Transport;
  status: number;
  done: Promise<void>;
}

const REJECTIONS = ['ids:RejectionMessage', 'ids:ContractRejectionMessage'];

/** A DNS lookup that answers one fixed address (FEP_RESOLVE); TLS still checks the certificate for the name. */
function pinnedLookup(address: string): LookupFunction {
  const family = address.includes(':') ? 6 : 4;
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
}

/** Sends IDS messages in any transport: attach token, encode, send with a timeout, decode; rejections throw. */
@Injectable()
export class IdsClient {
  private readonly ca: string[];

  constructor(
    private readonly tokens: TokenProvider,
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(CONNECTOR_IDENTITY) identity: ConnectorIdentity,
  ) {
    const extra = config.ids.truststore === undefined ? [] : [readFileSync(config.ids.truststore, 'utf8')];
    this.ca = [...rootCertificates, ...identity.chainPems, ...extra];
  }

  transportFor(url: string): Transport {
    return this.config.ids.peerTransports[url] ?? this.config.ids.defaultTransport;
  }

  async send(request: IdsRequest): Promise<IdsResponse> {
    const transport = request.transport ?? this.transportFor(request.url);
    const header = { ...request.header, 'ids:securityToken': tokenNode(await this.tokens.token()) };
    const encoded = encodeMessage(transport, header, request.payload);
    const response = await this.post(request.url, encoded.headers, encoded.body, request.timeoutMs ?? this.config.ids.timeoutMs);
    const replyTransport = detectTransport(response.headers);
    if (replyTransport === undefined) {
      const text = (await readPayload(response, 4096).catch(() => Buffer.from(''))) ?? Buffer.from('');
      throw new ConnectorError('REMOTE_ERROR', `${request.url} answered HTTP ${response.statusCode ?? 0} without an IDS message: ${text.toString('utf8').slice(0, 200)}`);
    }
    const decoded = await decodeMessage(response.headers, response, replyTransport);
    const message = parseMessage(await toPrefixedForm(decoded.header));
    if (REJECTIONS.includes(message.type)) {
      const text = (await readPayload(decoded.payload, 64 * 1024).catch(() => null))?.toString('utf8') ?? '';
      const reason = reference(message.header['ids:rejectionReason'] ?? message.header['ids:contractRejectionReason']);
      throw new RemoteRejectionError((reason ?? message.type).replace(/^.*\//, '').replace(/^idsc:/, ''), text.trim(), message);
    }
    return {
      message,
      header: decoded.header,
      payload: decoded.payload,
      ...(decoded.payloadContentType === undefined ? {} : { payloadContentType: decoded.payloadContentType }),
      transport: replyTransport,
      status: response.statusCode ?? 0,
      done: decoded.done,
    };
  }

  private post(url: string, headers: Record<string, string | string[]>, body: Readable | Buffer | string | null, timeoutMs: number): Promise<IncomingMessage> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.reject(ConnectorError.badInput('url', `"${url}" is not a URL`));
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return Promise.reject(ConnectorError.badInput('url', `${url} must be http(s)`));
    const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const alias = this.config.ids.resolve[target.hostname.toLowerCase()];
      const req = make(target, { method: 'POST', headers, ...(target.protocol === 'https:' ? { ca: this.ca } : {}), ...(alias ? { lookup: pinnedLookup(alias) } : {}) }, resolve);
      req.setTimeout(timeoutMs, () => req.destroy(new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `${url} did not answer within ${timeoutMs} ms`)));
      req.on('error', (error) =>
        reject(error instanceof ConnectorError ? error : new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `${url} is unreachable: ${error.message}`)),
      );
      if (body === null) req.end();
      else if (body instanceof Readable) body.pipe(req);
      else req.end(body);
    });
  }
}
