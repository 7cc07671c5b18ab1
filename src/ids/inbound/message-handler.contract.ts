/**
 * Extension point: one handler per inbound message `@type`, found by the `@IdsMessageHandler(type)` decorator
 * (Nest DiscoveryService) and registered by MessageHandlerRegistry, which fails at boot on a duplicate.
 */
import { DiscoveryService } from '@nestjs/core';
import type { VerifiedToken } from '../seams/token.seam.js';
import type { ExchangeRows } from '../seams/transaction-recorder.seam.js';
import type { MessageFields } from '../messages/message.builder.js';
import type { IdsMessage } from '../messages/message.types.js';
import type { Transport } from '../transport/ids-transport.codec.js';
import type { OutboundPayload } from '../transport/multipart.writer.js';

export interface InboundMessage {
  message: IdsMessage;
  payload: Buffer | null;
  payloadContentType?: string;
  token: VerifiedToken;
  transport: Transport;
  /** Rows that commit with this exchange's audit record, before the reply leaves (a use: UseRequest.rows). */
  rows?: ExchangeRows;
}

/** What a handler answers: the reply's type, extra header fields and an optional payload. */
export interface HandlerReply {
  type: string;
  fields?: MessageFields;
  payload?: OutboundPayload;
}

export interface MessageHandler {
  handle(inbound: InboundMessage): Promise<HandlerReply>;
}

/** `@IdsMessageHandler('ids:ArtifactRequestMessage')` on a provider class implementing MessageHandler. */
export const IdsMessageHandler = DiscoveryService.createDecorator<string>();

/** JSON-LD payload helper for handlers. */
export function jsonLdPayload(document: unknown): OutboundPayload {
  return { data: JSON.stringify(document), contentType: 'application/ld+json' };
}

export function textPayload(text: string): OutboundPayload {
  return { data: text, contentType: 'text/plain' };
}
