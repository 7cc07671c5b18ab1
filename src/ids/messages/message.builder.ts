/**
 * The one message builder (ARCHITECTURE rule 4): `newMessage` / `replyTo` fill `@id`, `ids:modelVersion`,
 * `ids:issued` (xsd:dateTimeStamp), `ids:issuerConnector`, `ids:senderAgent`, `ids:securityToken` and, for
 * replies, `ids:correlationMessage` and the requester as `ids:recipientConnector` / `ids:recipientAgent`.
 * Written as TRUE Connector writes messages (infomodel Java Serializer 4.2.7, as TRUE's ECC and data app use it).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock.js';
import { compact, dateTimeStamp, ref, type JsonLd, type JsonLdValue } from '../infomodel/jsonld.writer.js';
import { IDS_CONTEXT, IDSC, OUTBOUND_MODEL_VERSION } from '../infomodel/vocabulary.js';
import type { IdsMessage } from './message.types.js';

export type MessageFields = Record<string, JsonLdValue | undefined>;

export function tokenNode(tokenValue: string): JsonLd {
  return {
    '@type': 'ids:DynamicAttributeToken',
    '@id': `https://w3id.org/idsa/autogen/dynamicAttributeToken/${randomUUID()}`,
    'ids:tokenValue': tokenValue,
    'ids:tokenFormat': ref(IDSC + 'JWT'),
  };
}

function autogenId(type: string): string {
  const local = type.replace(/^ids:/, '');
  return `https://w3id.org/idsa/autogen/${local.charAt(0).toLowerCase()}${local.slice(1)}/${randomUUID()}`;
}

export class MessageBuilder {
  constructor(
    private readonly connectorId: string,
    private readonly clock: Clock,
  ) {}

  newMessage(type: string, token: string, fields: MessageFields = {}): JsonLd {
    return compact({
      '@context': { ...IDS_CONTEXT },
      '@type': type,
      '@id': autogenId(type),
      'ids:modelVersion': OUTBOUND_MODEL_VERSION,
      'ids:issued': dateTimeStamp(this.clock.now()),
      'ids:issuerConnector': ref(this.connectorId),
      'ids:senderAgent': ref(this.connectorId),
      // No token at all rather than a placeholder (a reply built while the DAPS is unreachable).
      'ids:securityToken': token === '' ? undefined : tokenNode(token),
      ...fields,
    });
  }

  /** A reply derived from the request, or from what little is known of an unparsable one. */
  replyTo(
    request: Pick<IdsMessage, 'id' | 'issuerConnector' | 'senderAgent'> | undefined,
    type: string,
    token: string,
    fields: MessageFields = {},
  ): JsonLd {
    return this.newMessage(type, token, {
      'ids:correlationMessage': request === undefined ? undefined : ref(request.id),
      'ids:recipientConnector': request === undefined ? undefined : [ref(request.issuerConnector)],
      'ids:recipientAgent': request === undefined ? undefined : [ref(request.senderAgent)],
      ...fields,
    });
  }
}
