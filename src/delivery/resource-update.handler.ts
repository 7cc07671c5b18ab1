import { Injectable } from '@nestjs/common';
import { IdsMessageHandler, type HandlerReply, type InboundMessage, type MessageHandler } from '../ids/inbound/message-handler.contract.js';
import { ConsumerSubscriptionService } from './consumer-subscription.service.js';

/**
 * ids:ResourceUpdateMessage from a provider we subscribed at (the DAT is checked by the pipeline): kept, and answered
 * with an ids:MessageProcessedNotificationMessage; a notification for no subscription of ours is NOT_FOUND.
 */
@Injectable()
@IdsMessageHandler('ids:ResourceUpdateMessage')
export class ResourceUpdateHandler implements MessageHandler {
  constructor(private readonly subscriptions: ConsumerSubscriptionService) {}

  async handle(inbound: InboundMessage): Promise<HandlerReply> {
    await this.subscriptions.received(inbound);
    return { type: 'ids:MessageProcessedNotificationMessage' };
  }
}
