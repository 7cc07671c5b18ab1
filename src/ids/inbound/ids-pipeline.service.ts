import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { Clock } from '../../common/clock.js';
import { ConnectorError } from '../../common/connector.error.js';
import { CONNECTOR_CONFIG } from '../../config/config.module.js';
import type { ConnectorConfig } from '../../config/connector.config.js';
import { TokenProvider, TokenVerifier } from '../../daps/token.seam.js';
import { reference } from '../infomodel/jsonld.reader.js';
import { ref, type JsonLd } from '../infomodel/jsonld.writer.js';
import { toPrefixedForm } from '../infomodel/local-context.js';
import { IDSC } from '../infomodel/vocabulary.js';
import { MessageBuilder } from '../messages/message.builder.js';
import { parseMessage } from '../messages/message.parser.js';
import type { IdsMessage } from '../messages/message.types.js';
import { rejectionReasonOf } from '../messages/rejection.mapper.js';
import { decodeMessage, detectTransport, readPayload, sniffTransport, type Transport } from '../transport/ids-transport.codec.js';
import type { OutboundPayload } from '../transport/multipart.writer.js';
import { textPayload } from './message-handler.contract.js';
import { MessageHandlerRegistry } from './message-handler.registry.js';
import { TransactionRecorder } from './transaction.recorder.js';

export interface PipelineReply {
  transport: Transport;
  header: JsonLd;
  payload?: OutboundPayload;
}

type Known = Pick<IdsMessage, 'id' | 'issuerConnector' | 'senderAgent'>;

/** What can be read of a header that failed to parse, so the rejection still correlates. */
function bestEffort(header: JsonLd | undefined): Known | undefined {
  if (header === undefined) return undefined;
  const get = (k: string): string | undefined => reference(header[`ids:${k}`] ?? header[k]);
  const id = typeof header['@id'] === 'string' ? header['@id'] : undefined;
  const issuer = get('issuerConnector');
  if (id === undefined || issuer === undefined) return undefined;
  return { id, issuerConnector: issuer, senderAgent: get('senderAgent') ?? issuer };
}

/**
 * The one inbound pipeline for all transports (transports are codecs): decode > parse into a typed message >
 * check the security token > dispatch to the handler for its @type > build the reply > record the exchange.
 * Any failure becomes an ids:RejectionMessage in the request's transport.
 */
@Injectable()
export class IdsPipeline {
  private readonly builder: MessageBuilder;
  private readonly logger = new Logger('IdsPipeline');

  constructor(
    private readonly handlers: MessageHandlerRegistry,
    private readonly tokens: TokenProvider,
    private readonly verifier: TokenVerifier,
    private readonly recorder: TransactionRecorder,
    @Inject(CONNECTOR_CONFIG) private readonly config: ConnectorConfig,
    @Inject(Clock) clock: Clock,
  ) {
    this.builder = new MessageBuilder(config.connector.id, clock);
  }

  async process(headers: IncomingHttpHeaders, body: Readable): Promise<PipelineReply> {
    let transport: Transport = detectTransport(headers) ?? 'form';
    let raw: JsonLd | undefined;
    let message: IdsMessage | undefined;
    try {
      const sniffed = await sniffTransport(headers, body);
      transport = sniffed ?? transport;
      const decoded = await decodeMessage(headers, body, this.config.ids.maxMessageBytes, sniffed);
      raw = decoded.header;
      message = parseMessage(await toPrefixedForm(decoded.header));
      const token = await this.verifier.verify(message);
      const handler = this.handlers.get(message.type);
      if (handler === undefined) throw new ConnectorError('MESSAGE_TYPE_NOT_SUPPORTED', `${message.type} is not handled by this connector`);
      const payload = await readPayload(decoded.payload, this.config.ids.maxMessageBytes);
      await decoded.done;
      const reply = await handler.handle({ message, payload, token, transport, ...(decoded.payloadContentType ? { payloadContentType: decoded.payloadContentType } : {}) });
      const header = this.builder.replyTo(message, reply.type, await this.tokens.token(), reply.fields);
      await this.recorder.record({ direction: 'inbound', request: message.header, reply: header, transport, peer: message.issuerConnector });
      return { transport, header, ...(reply.payload ? { payload: reply.payload } : {}) };
    } catch (error) {
      body.resume();
      return this.reject(transport, message ?? bestEffort(raw), error);
    }
  }

  private async reject(transport: Transport, request: Known | undefined, error: unknown): Promise<PipelineReply> {
    const known = error instanceof ConnectorError;
    if (!known) this.logger.error(`unexpected error handling an IDS message: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const reason = known ? rejectionReasonOf(error.code) : 'INTERNAL_RECIPIENT_ERROR';
    const text = known ? error.message : 'internal error';
    let token: string;
    try {
      token = await this.tokens.token();
    } catch {
      token = '';
    }
    const header = this.builder.replyTo(request, 'ids:RejectionMessage', token, { 'ids:rejectionReason': ref(IDSC + reason) });
    return { transport, header, payload: textPayload(text) };
  }
}
