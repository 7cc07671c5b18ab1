import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { LookupFunction } from 'node:net';
import { rootCertificates, type TLSSocket } from 'node:tls';
import { ConnectorError } from '../../common/connector.error.js';
import { idsSettings, type IdsSettings } from '../ids.settings.js';
import { CONNECTOR_IDENTITY, TRUSTED_CAS, type ConnectorIdentity } from '../seams/identity.seam.js';
import { PLACEHOLDER_TOKEN, TokenProvider, TokenVerifier, type VerifiedToken } from '../seams/token.seam.js';
import { TransactionRecorder } from '../seams/transaction-recorder.seam.js';
import { asText, reference } from '../infomodel/jsonld.reader.js';
import type { JsonLd } from '../infomodel/jsonld.writer.js';
import { embedGraph, toPrefixedForm } from '../infomodel/local-context.js';
import { tokenNode } from '../messages/message.builder.js';
import { isMessageNode, parseMessage } from '../messages/message.parser.js';
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
  /** What the reply's DAT says (its subject is the peer's identity for the clearing house). */
  token?: VerifiedToken;
  /** The raw reply header, as received. */
  header: JsonLd;
  payload: Readable | null;
  payloadContentType?: string;
  transport: Transport;
  status: number;
  done: Promise<void>;
}

const REJECTIONS = ['ids:RejectionMessage', 'ids:ContractRejectionMessage'];
const GATEWAY_STATUS = new Set([502, 503, 504]);

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

  private readonly logger = new Logger('IdsClient');

  constructor(
    private readonly tokens: TokenProvider,
    private readonly verifier: TokenVerifier,
    private readonly recorder: TransactionRecorder,
    @Inject(idsSettings.token) private readonly ids: IdsSettings,
    @Inject(CONNECTOR_IDENTITY) private readonly identity: ConnectorIdentity,
    @Inject(TRUSTED_CAS) trustedCas: string[],
  ) {
    this.ca = [...rootCertificates, ...trustedCas];
  }

  transportFor(url: string): Transport {
    return this.ids.peerTransports[url] ?? this.ids.defaultTransport;
  }

  /** Sends one message; every exchange (answered, rejected or failed) goes to the audit log. */
  async send(request: IdsRequest): Promise<IdsResponse> {
    const transport = request.transport ?? this.transportFor(request.url);
    const started = performance.now();
    const audit = (replyType: string | undefined, outcome?: string, code?: string): Promise<void> =>
      this.recorder.record({
        direction: 'outbound',
        request: request.header,
        transport,
        peer: request.url,
        durationMs: performance.now() - started,
        ...(replyType ? { replyType } : {}),
        ...(outcome ? { outcome } : {}),
        ...(code ? { failure: { code } } : {}),
      });
    try {
      const response = await this.exchange(request, transport);
      await audit(response.message.type, response.status === 200 || response.status === 201 ? undefined : `HTTP ${response.status}`);
      return response;
    } catch (error) {
      if (error instanceof RemoteRejectionError) {
        await audit(error.reply.type, `${error.reason}: ${error.explanation}`, error.reason);
      } else {
        await audit(
          undefined,
          error instanceof Error ? error.message : String(error),
          error instanceof ConnectorError ? error.code : 'FAILED',
        );
      }
      throw error;
    }
  }

  private async exchange(request: IdsRequest, transport: Transport): Promise<IdsResponse> {
    const header: JsonLd = { ...request.header, 'ids:securityToken': tokenNode(await this.tokens.token()) };
    const encoded = encodeMessage(transport, header, request.payload);
    const response = await this.post(request.url, encoded.headers, encoded.body, request.timeoutMs ?? this.ids.timeoutMs);
    const replyTransport = detectTransport(response.headers);
    if (replyTransport === undefined) {
      const text = (await readPayload(response, 4096).catch(() => Buffer.from(''))) ?? Buffer.from('');
      // Field `reply`: the endpoint answered, but not as an IDS endpoint (a gateway's 502/503/504 is left out: the
      // connector behind it may only be restarting).
      const status = response.statusCode ?? 0;
      throw new ConnectorError(
        'REMOTE_ERROR',
        `${request.url} answered HTTP ${status} without an IDS message: ${text.toString('utf8').slice(0, 200)}`,
        GATEWAY_STATUS.has(status) ? undefined : 'reply',
      );
    }
    const decoded = await decodeMessage(response.headers, response, replyTransport);
    const message = parseMessage(embedGraph(await toPrefixedForm(decoded.header), isMessageNode));
    // A reply answers one request (MessageShape v4.1.0: ids:correlationMessage [1..1] on responses): anything else
    // is a reply to some other message, replayed or misrouted, and is not taken for the answer to this one.
    const sent = header['@id'];
    if (message.correlationMessage !== sent) {
      response.resume();
      throw new ConnectorError(
        'REMOTE_ERROR',
        `the reply of ${request.url} does not correlate: its ids:correlationMessage is ${message.correlationMessage ?? '(missing)'}, the request was ${asText(sent)}`,
      );
    }
    const dummy = message.securityToken?.tokenValue === PLACEHOLDER_TOKEN;
    let token: VerifiedToken | undefined;
    if (message.type === 'ids:RejectionMessage' && dummy) {
      // TRUE's connector signs rejections with its dummy token even with DAPS on: a rejection can only deny.
      this.logger.warn(`${request.url} rejected the message with an unsigned (TRUE dummy token) rejection`);
    } else {
      token = await this.verifier
        .verify(message, { ...(response.peerCertSha256 ? { certSha256: response.peerCertSha256 } : {}) })
        .catch((error: unknown) => {
          response.resume();
          throw error instanceof ConnectorError && error.code === 'NOT_AUTHENTICATED'
            ? new ConnectorError('REMOTE_ERROR', `the reply of ${request.url} failed verification: ${error.message}`)
            : error;
        });
    }
    if (REJECTIONS.includes(message.type)) {
      const text = (await readPayload(decoded.payload, 64 * 1024).catch(() => null))?.toString('utf8') ?? '';
      const reason = reference(message.header['ids:rejectionReason'] ?? message.header['ids:contractRejectionReason']);
      throw new RemoteRejectionError((reason ?? message.type).replace(/^.*\//, '').replace(/^idsc:/, ''), text.trim(), message);
    }
    return {
      message,
      ...(token === undefined ? {} : { token }),
      header: decoded.header,
      payload: decoded.payload,
      ...(decoded.payloadContentType === undefined ? {} : { payloadContentType: decoded.payloadContentType }),
      transport: replyTransport,
      status: response.statusCode ?? 0,
      done: decoded.done,
    };
  }

  private post(
    url: string,
    headers: Record<string, string | string[]>,
    body: Readable | Buffer | string | null,
    timeoutMs: number,
  ): Promise<IncomingMessage & { peerCertSha256?: string }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return Promise.reject(ConnectorError.badInput('url', `"${url}" is not a URL`));
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') {
      return Promise.reject(ConnectorError.badInput('url', `${url} must be http(s)`));
    }
    const make = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const alias = this.ids.resolve[target.hostname.toLowerCase()];
      // Our certificate is presented as TLS client certificate (mutual TLS); the server's is kept for the token binding.
      const tls =
        target.protocol === 'https:'
          ? { ca: this.ca, key: this.identity.keyPem, cert: [this.identity.certPem, ...this.identity.chainPems].join('\n') }
          : {};
      const req = make(target, { method: 'POST', headers, ...tls, ...(alias ? { lookup: pinnedLookup(alias) } : {}) }, (res) => {
        const socket = res.socket as TLSSocket;
        const raw = typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate().raw : undefined;
        resolve(Object.assign(res, raw ? { peerCertSha256: createHash('sha256').update(raw).digest('hex') } : {}));
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `${url} did not answer within ${timeoutMs} ms`)),
      );
      req.on('error', (error) =>
        reject(
          error instanceof ConnectorError
            ? error
            : new ConnectorError('TEMPORARILY_NOT_AVAILABLE', `${url} is unreachable: ${error.message}`),
        ),
      );
      if (body === null) req.end();
      else if (body instanceof Readable) body.pipe(req);
      else req.end(body);
    });
  }
}
