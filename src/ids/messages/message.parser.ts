/**
 * JSON-LD header (prefixed compact form) -> typed IdsMessage. Mandatory fields per MessageShape v4.1.0:
 * modelVersion, issued, issuerConnector, senderAgent, securityToken (checked by the verifier, not here: a missing
 * token is NOT_AUTHENTICATED, not MALFORMED_MESSAGE). Every failure names the field. Pure.
 */
import { ConnectorError } from '../../common/connector.error.js';
import { firstLiteral, isObject, literal, prop, reference, references, typeOf } from '../infomodel/jsonld.reader.js';
import type { JsonLd } from '../infomodel/jsonld.writer.js';
import { INBOUND_MODEL_VERSIONS } from '../infomodel/vocabulary.js';
import { MESSAGE_TYPES, type IdsMessage, type SecurityToken } from './message.types.js';

const malformed = (field: string, reason: string): ConnectorError => new ConnectorError('MALFORMED_MESSAGE', `${field}: ${reason}`, field);

/** Field requirements beyond the common ones (taxonomies/MessageShape.ttl v4.1.0). */
const REQUIRED: Record<string, string[]> = {
  'ids:ArtifactRequestMessage': ['requestedArtifact'],
  'ids:ResourceUpdateMessage': ['affectedResource'],
  'ids:ResourceUnavailableMessage': ['affectedResource'],
  'ids:ConnectorUpdateMessage': ['affectedConnector'],
  'ids:ConnectorUnavailableMessage': ['affectedConnector'],
};

function iriField(header: JsonLd, name: string, required: true): string;
function iriField(header: JsonLd, name: string, required: false): string | undefined;
function iriField(header: JsonLd, name: string, required: boolean): string | undefined {
  const value = prop(header, name);
  if (value === undefined || value === null) {
    if (required) throw malformed(`ids:${name}`, 'is required');
    return undefined;
  }
  const iri = reference(Array.isArray(value) ? value[0] : value) ?? literal(Array.isArray(value) ? value[0] : value);
  if (iri === undefined || !/^[a-zA-Z][a-zA-Z0-9+.-]*:\S*$/.test(iri)) throw malformed(`ids:${name}`, 'must be an IRI');
  return iri;
}

function token(header: JsonLd): SecurityToken | undefined {
  const node = prop(header, 'securityToken');
  if (node === undefined || node === null) return undefined;
  if (!isObject(node)) throw malformed('ids:securityToken', 'must be an ids:DynamicAttributeToken object');
  const value = firstLiteral(node, 'tokenValue');
  if (value === undefined) return undefined;
  const format = reference(prop(node, 'tokenFormat'));
  return { tokenValue: value, ...(format === undefined ? {} : { tokenFormat: format }) };
}

/** A JSON-LD node whose @type is an IDS message class. */
export function isMessageNode(node: JsonLd): boolean {
  const type = typeOf(node);
  return type !== undefined && (MESSAGE_TYPES as readonly string[]).includes(type);
}

export function parseMessage(header: unknown): IdsMessage {
  if (!isObject(header)) throw malformed('header', 'must be a JSON-LD object');
  const doc = header;
  const type = typeOf(doc);
  if (type === undefined) throw malformed('@type', 'is required');
  if (!(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new ConnectorError('MESSAGE_TYPE_NOT_SUPPORTED', `${type} is not an IDS message type`, '@type');
  }
  const id = doc['@id'];
  if (typeof id !== 'string' || id === '') throw malformed('@id', 'is required');
  const modelVersion = firstLiteral(doc, 'modelVersion');
  if (modelVersion === undefined) throw malformed('ids:modelVersion', 'is required');
  if (!(INBOUND_MODEL_VERSIONS as readonly string[]).includes(modelVersion)) {
    throw new ConnectorError(
      'VERSION_NOT_SUPPORTED',
      `ids:modelVersion ${modelVersion} is not supported (accepted: ${INBOUND_MODEL_VERSIONS[0]} to ${INBOUND_MODEL_VERSIONS.at(-1)})`,
      'ids:modelVersion',
    );
  }
  const issued = firstLiteral(doc, 'issued');
  if (issued === undefined) throw malformed('ids:issued', 'is required');
  if (Number.isNaN(Date.parse(issued))) throw malformed('ids:issued', `"${issued}" is not an xsd:dateTimeStamp`);
  for (const field of REQUIRED[type] ?? []) iriField(doc, field, true);
  const optional = (name: string): Partial<Record<string, string>> => {
    const value = iriField(doc, name, false);
    return value === undefined ? {} : { [name]: value };
  };
  const securityToken = token(doc);
  const reason = reference(prop(doc, 'rejectionReason'));
  return {
    id,
    type,
    modelVersion,
    issued,
    issuerConnector: iriField(doc, 'issuerConnector', true),
    senderAgent: iriField(doc, 'senderAgent', true),
    recipientConnector: references(doc, 'recipientConnector'),
    recipientAgent: references(doc, 'recipientAgent'),
    ...optional('correlationMessage'),
    ...optional('transferContract'),
    ...optional('requestedArtifact'),
    ...optional('requestedElement'),
    ...optional('affectedResource'),
    ...optional('target'),
    ...(reason === undefined ? {} : { rejectionReason: reason }),
    ...(securityToken === undefined ? {} : { securityToken }),
    header: doc,
  };
}
