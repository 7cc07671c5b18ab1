import { Inject, Injectable, Logger } from '@nestjs/common';
import { discardRest } from '../../common/stream/discard.js';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { ConnectorError, storageFailure } from '../../common/connector.error.js';
import { correlateWith } from '../../common/logging/correlation.js';
import { within } from '../../common/within.js';
import { idsSettings, type IdsSettings } from '../ids.settings.js';
import { TokenProvider, TokenVerifier } from '../seams/token.seam.js';
import { asText } from '../infomodel/jsonld.reader.js';
import type { JsonLd } from '../infomodel/jsonld.writer.js';
import { embedGraph, toPrefixedForm } from '../infomodel/local-context.js';
import { MessageBuilder } from '../messages/message.builder.js';
import { isMessageNode, parseMessage } from '../messages/message.parser.js';
import type { IdsMessage } from '../messages/message.types.js';
import { bestEffortRef, buildRejection, type RequestRef } from '../messages/rejection.factory.js';
import {
  asStreamFault,
  decodeMessage,
  detectTransport,
  readPayload,
  sniffTransport,
  type DecodedMessage,
  type Transport,
} from '../transport/ids-transport.codec.js';
import type { OutboundPayload } from '../transport/multipart.writer.js';
import { MessageHandlerRegistry } from './message-handler.registry.js';
import { TransactionRecorder, type ExchangeRows } from '../seams/transaction-recorder.seam.js';

/** How long a refused request's body may take to arrive in full before the connection is closed instead. */
const SETTLE_BODY_MS = 30_000;

/**
 * What is left of a refused request is read and dropped before the rejection is written, so that the client, still
 * sending, reads it rather than a reset: a multipart body through its reader (the payload part dropped), any other
 * body directly. Past SETTLE_BODY_MS (or its byte limit) the connection is closed instead.
 */
async function settleBody(body: Readable, decoded: DecodedMessage | undefined): Promise<void> {
  let finished: Promise<void>;
  if (decoded === undefined || decoded.transport === 'http-header') {
    finished = discardRest(body);
  } else {
    decoded.payload?.destroy();
    finished = decoded.done.then(
      () => undefined,
      () => discardRest(body),
    );
  }
  await within(finished, SETTLE_BODY_MS, 'the rest of the refused request').catch(() => body.destroy());
}

/** A reply that will not be sent: its source is closed (a stream holds a file or a connection open). */
function discard(payload: OutboundPayload | undefined): void {
  if (payload?.data instanceof Readable) payload.data.destroy();
}

export interface PipelineReply {
  transport: Transport;
  header: JsonLd;
  payload?: OutboundPayload;
}

/**
 * The one inbound pipeline for all transports (transports are codecs): decode > parse into a typed message >
 * check the security token > dispatch to the handler for its @type > build the reply > record the exchange.
 * Any failure becomes an ids:RejectionMessage in the request's transport.
 */
@Injectable()
export class IdsPipeline {
  private readonly logger = new Logger('IdsPipeline');

  constructor(
    private readonly handlers: MessageHandlerRegistry,
    private readonly tokens: TokenProvider,
    private readonly verifier: TokenVerifier,
    private readonly recorder: TransactionRecorder,
    private readonly builder: MessageBuilder,
    @Inject(idsSettings.token) private readonly ids: IdsSettings,
  ) {}

  /** `client`: the TLS client certificate the peer presented (mutual TLS), if any. */
  async process(
    headers: IncomingHttpHeaders,
    body: Readable,
    client?: { certSha256: string; trusted: boolean; error: string },
  ): Promise<PipelineReply> {
    const started = performance.now();
    let transport: Transport = detectTransport(headers) ?? 'form';
    let raw: JsonLd | undefined;
    let message: IdsMessage | undefined;
    let rows: ExchangeRows | undefined;
    let authenticated = false;
    let decoded: DecodedMessage | undefined;
    try {
      const sniffed = await sniffTransport(headers, body);
      transport = sniffed ?? transport;
      decoded = await decodeMessage(headers, body, sniffed);
      raw = decoded.header;
      message = parseMessage(embedGraph(await toPrefixedForm(decoded.header), isMessageNode));
      // Every log line of this request from here on names the message.
      correlateWith(message.id);
      // ids:securityToken is mandatory (MessageShape v4.1.0), whatever the DAPS mode.
      if (message.securityToken === undefined) {
        throw new ConnectorError('NOT_AUTHENTICATED', 'ids:securityToken with an ids:tokenValue is required');
      }
      if (client && !client.trusted) {
        throw new ConnectorError('NOT_AUTHENTICATED', `the TLS client certificate is not trusted (${client.error})`);
      }
      const token = await this.verifier.verify(message, client ? { certSha256: client.certSha256 } : {});
      authenticated = true;
      const handler = this.handlers.get(message.type);
      if (handler === undefined) throw new ConnectorError('MESSAGE_TYPE_NOT_SUPPORTED', `${message.type} is not handled by this connector`);
      const payload = await readPayload(decoded.payload, this.ids.maxMessageBytes);
      await decoded.done;
      // Our own token first: if the DAPS cannot give one, the request is refused before the handler acts on it
      // (claims a use, makes an agreement) rather than after.
      const ownToken = await this.tokens.token();
      // What the handler writes for this exchange without a statement of its own (its use) commits with the audit
      // row below: one write per exchange, awaited before the reply is returned (and its bytes leave).
      rows = this.recorder.rows();
      const reply = await handler.handle({
        message,
        payload,
        token,
        transport,
        rows,
        ...(decoded.payloadContentType ? { payloadContentType: decoded.payloadContentType } : {}),
      });
      const header = this.builder.replyTo(message, reply.type, ownToken, reply.fields);
      await this.recorder
        .record({
          direction: 'inbound',
          request: message.header,
          replyType: reply.type,
          transport,
          peer: message.issuerConnector,
          durationMs: performance.now() - started,
          authenticated,
          rows,
        })
        .catch(() => {
          // Not on disk, so it did not happen: no bytes go, and the rejection is what gets audited.
          discard(reply.payload);
          throw new ConnectorError('TEMPORARILY_NOT_AVAILABLE', 'this exchange could not be recorded (its use and audit row): try again');
        });
      return { transport, header, ...(reply.payload ? { payload: reply.payload } : {}) };
    } catch (caught) {
      const error = storageFailure(caught) ?? asStreamFault(caught);
      // A use the handler added and no record took is given back (its reservation, if it made one).
      rows?.discard();
      await settleBody(body, decoded);
      const rejection = await this.reject(transport, message ?? bestEffortRef(raw), error);
      // Everything received is audited, an unreadable message too (its type is then unknown).
      const outcome = error instanceof ConnectorError ? `${error.code}: ${error.message}` : 'internal error';
      await this.recorder.record({
        direction: 'inbound',
        request: message?.header ?? raw ?? {},
        replyType: asText(rejection.header['@type']),
        outcome,
        transport,
        durationMs: performance.now() - started,
        authenticated,
        ...(error instanceof ConnectorError
          ? { failure: { code: error.code, ...(error.field === undefined ? {} : { field: error.field }) } }
          : { failure: { code: 'INTERNAL' } }),
        ...(message ? { peer: message.issuerConnector } : {}),
      });
      return rejection;
    }
  }

  private async reject(transport: Transport, request: RequestRef | undefined, error: unknown): Promise<PipelineReply> {
    if (!(error instanceof ConnectorError)) {
      this.logger.error(
        `unexpected error handling an IDS message: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    const token = await this.tokens.token().catch(() => '');
    return { transport, ...buildRejection(this.builder, token, request, error) };
  }
}
