import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../common/connector.error.js';
import { IdsMessageHandler, type HandlerReply, type InboundMessage, type MessageHandler } from '../ids/inbound/message-handler.contract.js';
import { isObject } from '../ids/infomodel/jsonld.reader.js';
import { AgreementRepository } from './agreement.repository.js';
import { jsonPayload } from './contract-request.handler.js';

/** The consumer's confirmation of an agreement we made: ids:MessageProcessedNotificationMessage. */
@Injectable()
@IdsMessageHandler('ids:ContractAgreementMessage')
export class ContractAgreementHandler implements MessageHandler {
  constructor(private readonly agreements: AgreementRepository) {}

  async handle(inbound: InboundMessage): Promise<HandlerReply> {
    const document = jsonPayload(inbound, 'ids:ContractAgreement');
    const iri = isObject(document) ? (document as Record<string, unknown>)['@id'] : undefined;
    if (typeof iri !== 'string') throw ConnectorError.badInput('payload', 'the ids:ContractAgreement needs its @id');
    const agreement = await this.agreements.findByIri(iri);
    if (agreement === null) throw new ConnectorError('NOT_FOUND', `no agreement ${iri} was made with this connector`);
    if (agreement.consumer !== inbound.message.issuerConnector) {
      throw new ConnectorError('NOT_AUTHORIZED', `agreement ${iri} was not made with ${inbound.message.issuerConnector}`);
    }
    if (!agreement.confirmed) await this.agreements.save({ ...agreement, confirmed: true });
    return { type: 'ids:MessageProcessedNotificationMessage' };
  }
}
