import { Injectable } from '@nestjs/common';
import { ConnectorError } from '../common/connector.error.js';
import { AgreementRepository } from './agreement.repository.js';
import { IdsMessageHandler, type HandlerReply, type InboundMessage, type MessageHandler } from '../ids/inbound/message-handler.contract.js';
import { ref } from '../ids/infomodel/jsonld.writer.js';
import { sha256Tap } from '../common/stream/sha256.tap.js';
import { UsageEnforcer, type Permit } from '../usage/usage.enforcer.js';
import { ArtifactService } from '../resources/artifact.service.js';

/**
 * ids:ArtifactRequestMessage -> ids:ArtifactResponseMessage with the bytes (streamed), only under an agreement
 * for this artifact made with this consumer (its ids:issuerConnector and DAT subject), and only when the
 * agreement's usage policy permits this use (provider-side enforcement; a denial is NOT_AUTHORIZED with the
 * reasons). The request's ids:transferContract is echoed: TRUE's consumer enforces usage with it
 * (TRUE basic data app, handler/ArtifactMessageHandler.java).
 */
@Injectable()
@IdsMessageHandler('ids:ArtifactRequestMessage')
export class ArtifactRequestHandler implements MessageHandler {
  constructor(
    private readonly artifacts: ArtifactService,
    private readonly agreements: AgreementRepository,
    private readonly usage: UsageEnforcer,
  ) {}

  async handle({ message, token, rows }: InboundMessage): Promise<HandlerReply> {
    const artifactIri = message.requestedArtifact!;
    const artifact = await this.artifacts.findByIri(artifactIri);
    if (artifact === null) throw new ConnectorError('NOT_FOUND', `no artifact ${artifactIri}`);
    const contract = message.transferContract;
    if (contract === undefined) {
      throw new ConnectorError('NOT_AUTHORIZED', 'an ids:transferContract naming a contract agreement is required');
    }
    const agreement = await this.agreements.findByIri(contract);
    if (agreement === null) throw new ConnectorError('NOT_AUTHORIZED', `no contract agreement ${contract}`);
    if (agreement.consumer !== message.issuerConnector) {
      throw new ConnectorError('NOT_AUTHORIZED', `agreement ${contract} was not made with ${message.issuerConnector}`);
    }
    if (agreement.consumerSubject !== null && agreement.consumerSubject !== token.subject) {
      throw new ConnectorError(
        'NOT_AUTHORIZED',
        `agreement ${contract} was made with the DAT subject ${agreement.consumerSubject}, not ${token.subject ?? '(none)'}`,
      );
    }
    if (!agreement.targets.includes(artifact.iri)) {
      throw new ConnectorError('NOT_AUTHORIZED', `agreement ${contract} does not cover ${artifact.iri}`);
    }
    // The bytes are opened before the use is claimed: a source that cannot be opened costs the consumer nothing.
    const { data } = await this.artifacts.openArtifact(artifact);
    let permit: Permit;
    try {
      permit = await this.usage.authorize({
        side: 'provider',
        agreementIri: agreement.iri,
        document: agreement.document,
        stored: agreement.created,
        target: artifact.iri,
        consumer: message.issuerConnector,
        ...(token.securityProfile === undefined ? {} : { securityProfile: token.securityProfile }),
        consume: true,
        // The clearing-house record of this transfer: the request as received, completed with the SHA-256 of the
        // bytes actually served once they have gone.
        transfer: { message: message.header, payloadSha256: null, served: 'pending' },
        ...(rows === undefined ? {} : { rows }),
      });
    } catch (error) {
      data.stream.destroy();
      throw error;
    }
    const { recordId } = permit;
    // Bytes held in memory go out whole; a transfer the clearing house records streams through the hash of what
    // was actually served.
    const body =
      recordId === undefined
        ? (data.bytes ?? data.stream)
        : sha256Tap(data.stream, (served) => void this.usage.transferEnded(recordId, served));
    return {
      type: 'ids:ArtifactResponseMessage',
      fields: { 'ids:transferContract': ref(contract) },
      payload: {
        data: body,
        contentType: data.mediaType ?? 'application/octet-stream',
        ...(data.size === undefined ? {} : { length: data.size }),
      },
    };
  }
}
