/**
 * Turns any failure into an ids:RejectionMessage (header + human-readable payload), correlated to the request
 * when that is known. Domain errors carry their code; anything else is INTERNAL_RECIPIENT_ERROR.
 */
import { ConnectorError } from '../../common/connector.error.js';
import { reference } from '../infomodel/jsonld.reader.js';
import { ref, type JsonLd } from '../infomodel/jsonld.writer.js';
import { IDSC } from '../infomodel/vocabulary.js';
import type { OutboundPayload } from '../transport/multipart.writer.js';
import type { MessageBuilder } from './message.builder.js';
import type { IdsMessage } from './message.types.js';
import { rejectionReasonOf } from './rejection.mapper.js';

export type RequestRef = Pick<IdsMessage, 'id' | 'issuerConnector' | 'senderAgent'>;

/** What can be read of a header that failed to parse, so the rejection still correlates. */
export function bestEffortRef(header: JsonLd | undefined): RequestRef | undefined {
  if (header === undefined) return undefined;
  const get = (k: string): string | undefined => reference(header[`ids:${k}`] ?? header[k]);
  const id = typeof header['@id'] === 'string' ? header['@id'] : undefined;
  const issuer = get('issuerConnector');
  if (id === undefined || issuer === undefined) return undefined;
  return { id, issuerConnector: issuer, senderAgent: get('senderAgent') ?? issuer };
}

export function buildRejection(
  builder: MessageBuilder,
  token: string,
  request: RequestRef | undefined,
  error: unknown,
): { header: JsonLd; payload: OutboundPayload } {
  const known = error instanceof ConnectorError;
  const reason = known ? rejectionReasonOf(error.code) : 'INTERNAL_RECIPIENT_ERROR';
  const header = builder.replyTo(request, 'ids:RejectionMessage', token, { 'ids:rejectionReason': ref(IDSC + reason) });
  return { header, payload: { data: known ? error.message : 'internal error', contentType: 'text/plain' } };
}
