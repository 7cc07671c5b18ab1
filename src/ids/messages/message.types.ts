/**
 * The IDS messages we read, typed. Message classes from the v4.1.0 taxonomy (taxonomies/Message.ttl) and the
 * mandatory fields of MessageShape (testing/taxonomies/MessageShape.ttl).
 */
import type { JsonLd } from '../infomodel/jsonld.writer.js';

export const MESSAGE_TYPES = [
  'ids:ArtifactRequestMessage',
  'ids:ArtifactResponseMessage',
  'ids:DescriptionRequestMessage',
  'ids:DescriptionResponseMessage',
  'ids:ContractRequestMessage',
  'ids:ContractResponseMessage',
  'ids:ContractAgreementMessage',
  'ids:ContractRejectionMessage',
  'ids:ContractOfferMessage',
  'ids:ContractSupplementMessage',
  'ids:RejectionMessage',
  'ids:ResultMessage',
  'ids:MessageProcessedNotificationMessage',
  'ids:RequestInProcessMessage',
  'ids:QueryMessage',
  'ids:LogMessage',
  'ids:ConnectorUpdateMessage',
  'ids:ConnectorUnavailableMessage',
  'ids:ResourceUpdateMessage',
  'ids:ResourceUnavailableMessage',
  'ids:ConnectorCertificateGrantedMessage',
  'ids:ConnectorCertificateRevokedMessage',
  'ids:ParticipantUpdateMessage',
  'ids:ParticipantUnavailableMessage',
  'ids:ParticipantRequestMessage',
  'ids:ParticipantResponseMessage',
  'ids:InvokeOperationMessage',
  'ids:OperationResultMessage',
  'ids:UploadMessage',
  'ids:UploadResponseMessage',
  'ids:AccessTokenRequestMessage',
  'ids:AccessTokenResponseMessage',
  'ids:AppRegistrationRequestMessage',
  'ids:AppRegistrationResponseMessage',
  'ids:AppUploadMessage',
  'ids:AppUploadResponseMessage',
  'ids:AppAvailableMessage',
  'ids:AppUnavailableMessage',
  'ids:AppDeleteMessage',
  'ids:CommandMessage',
  'ids:RequestMessage',
  'ids:ResponseMessage',
  'ids:NotificationMessage',
  'ids:Message',
] as const;

export interface SecurityToken {
  tokenValue: string;
  tokenFormat?: string;
}

export interface IdsMessage {
  id: string;
  /** Prefixed class, e.g. `ids:ArtifactRequestMessage`. */
  type: string;
  modelVersion: string;
  issued: string;
  issuerConnector: string;
  senderAgent: string;
  recipientConnector: string[];
  recipientAgent: string[];
  correlationMessage?: string;
  transferContract?: string;
  requestedArtifact?: string;
  requestedElement?: string;
  /** ResourceUpdateMessage / ResourceUnavailableMessage. */
  affectedResource?: string;
  /** A RequestMessage's subject (the Dataspace Connector's subscriptions). */
  target?: string;
  rejectionReason?: string;
  securityToken?: SecurityToken;
  /** The header as received, in prefixed compact form (what is logged and forwarded). */
  header: JsonLd;
}
