import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../common/connector.error.js';
import { parseJson } from '../common/json.js';
import { IdsMessageHandler, type HandlerReply, type InboundMessage, type MessageHandler } from '../ids/inbound/message-handler.contract.js';
import { parseSubscription } from './subscription.parser.js';
import { SubscriptionService } from './subscription.service.js';

/**
 * Subscriptions as the Dataspace Connector v6+ sends them: an ids:RequestMessage with `ids:target` and the
 * subscription object as payload subscribes; the same without payload unsubscribes. The pipeline has checked the
 * DAT and bound ids:issuerConnector to it; the subscriber is that issuer (whatever the payload says, as in DSC).
 * Answered with an ids:MessageProcessedNotificationMessage.
 */
@Injectable()
@IdsMessageHandler('ids:RequestMessage')
export class SubscriptionRequestHandler implements MessageHandler {
  constructor(private readonly subscriptions: SubscriptionService) {}

  async handle({ message, payload, token }: InboundMessage): Promise<HandlerReply> {
    const target = message.target;
    if (target === undefined) {
      throw new ConnectorError(
        'MALFORMED_MESSAGE',
        'ids:target: is required (this connector takes ids:RequestMessage for subscriptions only)',
        'ids:target',
      );
    }
    if (payload === null || payload.length === 0) {
      await this.subscriptions.unsubscribeIds(target, message.issuerConnector);
      return { type: 'ids:MessageProcessedNotificationMessage' };
    }
    const request = parseSubscription(parseJson(payload, 'the subscription payload'));
    if (request.target !== target) {
      throw ConnectorError.badInput('target', `the payload's target ${request.target} is not the message's ids:target ${target}`);
    }
    await this.subscriptions.subscribeIds(request, {
      connector: message.issuerConnector,
      subject: token.subject ?? null,
      securityProfile: token.securityProfile ?? null,
      requestId: message.id,
    });
    return { type: 'ids:MessageProcessedNotificationMessage' };
  }
}
