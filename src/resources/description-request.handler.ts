import { Injectable } from '@nestjs/common';
import {
  IdsMessageHandler,
  jsonLdPayload,
  type HandlerReply,
  type InboundMessage,
  type MessageHandler,
} from '../ids/inbound/message-handler.contract.js';
import { SelfDescriptionService } from './self-description.service.js';

/** ids:DescriptionRequestMessage -> the self-description, or the one element named by ids:requestedElement. */
@Injectable()
@IdsMessageHandler('ids:DescriptionRequestMessage')
export class DescriptionRequestHandler implements MessageHandler {
  constructor(private readonly selfDescription: SelfDescriptionService) {}

  async handle({ message }: InboundMessage): Promise<HandlerReply> {
    const document =
      message.requestedElement === undefined
        ? await this.selfDescription.describe()
        : await this.selfDescription.element(message.requestedElement);
    return { type: 'ids:DescriptionResponseMessage', payload: jsonLdPayload(document) };
  }
}
