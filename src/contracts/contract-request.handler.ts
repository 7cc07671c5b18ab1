import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../common/connector.error.js';
import { parseJson } from '../common/json.js';
import {
  IdsMessageHandler,
  jsonLdPayload,
  textPayload,
  type HandlerReply,
  type InboundMessage,
  type MessageHandler,
} from '../ids/inbound/message-handler.contract.js';
import { xsdString } from '../ids/infomodel/jsonld.writer.js';
import { NegotiationService } from './negotiation.service.js';
import { sha256Hex } from '../clearing-house/clearing-house.records.js';

export function jsonPayload(inbound: InboundMessage, what: string): unknown {
  if (inbound.payload === null || inbound.payload.length === 0) {
    throw new ConnectorError('BAD_INPUT', `the payload must be an ${what}`, 'payload');
  }
  return parseJson(inbound.payload, `the payload (an ${what} in JSON-LD)`, 'payload');
}

/** ids:ContractRequestMessage -> ids:ContractAgreementMessage, or ids:ContractRejectionMessage saying why. */
@Injectable()
@IdsMessageHandler('ids:ContractRequestMessage')
export class ContractRequestHandler implements MessageHandler {
  constructor(private readonly negotiation: NegotiationService) {}

  async handle(inbound: InboundMessage): Promise<HandlerReply> {
    const logged = { message: inbound.message.header, payloadSha256: inbound.payload === null ? null : sha256Hex(inbound.payload) };
    const outcome = await this.negotiation.negotiate(
      jsonPayload(inbound, 'ids:ContractRequest'),
      inbound.message.issuerConnector,
      inbound.token.subject,
      logged,
    );
    if (outcome.agreed) return { type: 'ids:ContractAgreementMessage', payload: jsonLdPayload(outcome.agreement) };
    const reason = outcome.reasons.join(' | ');
    return {
      type: 'ids:ContractRejectionMessage',
      fields: { 'ids:contractRejectionReason': xsdString(reason) },
      payload: textPayload(reason),
    };
  }
}
