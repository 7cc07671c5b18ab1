import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../common/connector.error.js';
import { AgreementRepository } from '../contracts/agreement.repository.js';
import { IdsMessageHandler, type HandlerReply, type InboundMessage, type MessageHandler } from '../ids/inbound/message-handler.contract.js';
import { ref } from '../ids/infomodel/jsonld.writer.js';
import { ArtifactService } from './artifact.service.js';

/**
 * ids:ArtifactRequestMessage -> ids:ArtifactResponseMessage with the bytes (streamed), only under an agreement
 * for this artifact and this consumer. The request's ids:transferContract is echoed: TRUE's consumer enforces
 * usage with it (../shared/IDS-NOTES.md 6.7).
 */
@Injectable()
@IdsMessageHandler('ids:ArtifactRequestMessage')
export class ArtifactRequestHandler implements MessageHandler {
  constructor(
    private readonly artifacts: ArtifactService,
    private readonly agreements: AgreementRepository,
  ) {}

  async handle({ message }: InboundMessage): Promise<HandlerReply> {
    const artifactIri = message.requestedArtifact!;
    const artifact = await this.artifacts.findByIri(artifactIri);
    if (artifact === null) throw new ConnectorError('NOT_FOUND', `no artifact ${artifactIri}`);
    const contract = message.transferContract;
    if (contract === undefined) throw new ConnectorError('NOT_AUTHORIZED', 'an ids:transferContract naming a contract agreement is required');
    const agreement = await this.agreements.findByIri(contract);
    if (agreement === null) throw new ConnectorError('NOT_AUTHORIZED', `no contract agreement ${contract}`);
    if (agreement.consumer !== message.issuerConnector) throw new ConnectorError('NOT_AUTHORIZED', `agreement ${contract} was not made with ${message.issuerConnector}`);
    if (!agreement.targets.includes(artifact.iri)) throw new ConnectorError('NOT_AUTHORIZED', `agreement ${contract} does not cover ${artifact.iri}`);
    const { data } = await this.artifacts.open(artifact.id);
    return {
      type: 'ids:ArtifactResponseMessage',
      fields: { 'ids:transferContract': ref(contract) },
      payload: { data: data.stream, contentType: data.mediaType ?? 'application/octet-stream', ...(data.size === undefined ? {} : { length: data.size }) },
    };
  }
}
