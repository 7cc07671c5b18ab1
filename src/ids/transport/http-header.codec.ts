/**
 * The IDS http-header transport (IDS-G; TRUE ECC service/impl/HttpHeaderServiceImpl.java, doc/TEST_API.md): the JSON-LD
 * header travels as HTTP headers, the payload is the body. `@id` -> IDS-Id, `@type` -> IDS-Messagetype,
 * `ids:securityToken` -> IDS-SecurityToken-{Type,Id,TokenFormat,TokenValue}, any other `ids:fooBar` ->
 * IDS-FooBar carrying the value's `@id`, `@value` or raw value; lists as repeated headers. HTTP header names are
 * case-insensitive, so property names are restored from the information model's term list. Pure.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ConnectorError } from '../../common/connector.error.js';
import { IDS_TERMS } from '../infomodel/ids-context.generated.js';
import { asText, isObject, literal, reference } from '../infomodel/jsonld.reader.js';
import type { JsonLd, JsonLdValue } from '../infomodel/jsonld.writer.js';
import { IDS_CONTEXT } from '../infomodel/vocabulary.js';

/** TRUE Connector's `server.max-http-header-size`. */
export const TRUE_MAX_HEADER_BYTES = 15_360;

const TERM_BY_LOWER = new Map(Object.keys(IDS_TERMS).map((term) => [term.toLowerCase(), term]));
const REFERENCE_TERMS = new Set(
  Object.entries(IDS_TERMS)
    .filter(([, d]) => typeof d === 'object' && d['@type'] === '@id')
    .map(([t]) => t),
);

function headerValue(value: JsonLdValue): string | undefined {
  return reference(value) ?? literal(value);
}

export function messageToHeaders(header: JsonLd): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(header)) {
    if (key === '@context' || value === null) continue;
    if (key === '@id') {
      out['IDS-Id'] = asText(value);
    } else if (key === '@type') {
      out['IDS-Messagetype'] = asText(value);
    } else if (key === 'ids:securityToken' && isObject(value)) {
      out['IDS-SecurityToken-Type'] = asText(value['@type'] ?? 'ids:DynamicAttributeToken');
      if (typeof value['@id'] === 'string') out['IDS-SecurityToken-Id'] = value['@id'];
      out['IDS-SecurityToken-TokenFormat'] = reference(value['ids:tokenFormat']) ?? 'https://w3id.org/idsa/code/JWT';
      out['IDS-SecurityToken-TokenValue'] = literal(value['ids:tokenValue']) ?? '';
    } else if (key.startsWith('ids:')) {
      const local = key.slice(4);
      const name = `IDS-${local.charAt(0).toUpperCase()}${local.slice(1)}`;
      const list = (Array.isArray(value) ? value : [value]).map(headerValue).filter((v): v is string => v !== undefined);
      if (list.length === 1) out[name] = list[0]!;
      else if (list.length > 1) out[name] = list;
    }
  }
  const size = Object.entries(out).reduce((n, [k, v]) => n + k.length + 4 + (Array.isArray(v) ? v.join(', ').length : v.length), 0);
  if (size > TRUE_MAX_HEADER_BYTES) {
    throw new ConnectorError(
      'BAD_INPUT',
      `the message needs ${size} bytes of IDS-* headers, over the ${TRUE_MAX_HEADER_BYTES}-byte limit of TRUE Connector peers; use a multipart transport`,
    );
  }
  return out;
}

/** True when the request or response carries an IDS message in its headers. */
export function hasIdsHeaders(headers: IncomingHttpHeaders): boolean {
  return headers['ids-messagetype'] !== undefined;
}

export function headersToMessage(headers: IncomingHttpHeaders): JsonLd {
  const message: JsonLd = { '@context': { ...IDS_CONTEXT } };
  const token: JsonLd = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!name.startsWith('ids-') || rawValue === undefined) continue;
    const values = (Array.isArray(rawValue) ? rawValue : [rawValue])
      .flatMap((v) => (name.endsWith('connector') || name.endsWith('agent') ? v.split(',') : [v]))
      .map((v) => v.trim());
    const first = values[0] ?? '';
    if (name === 'ids-id') {
      message['@id'] = first;
    } else if (name === 'ids-messagetype') {
      message['@type'] = first.includes(':') ? first : `ids:${first}`;
    } else if (name === 'ids-securitytoken-type') {
      token['@type'] = first;
    } else if (name === 'ids-securitytoken-id') {
      token['@id'] = first;
    } else if (name === 'ids-securitytoken-tokenformat') {
      token['ids:tokenFormat'] = { '@id': first };
    } else if (name === 'ids-securitytoken-tokenvalue') {
      token['ids:tokenValue'] = first;
    } else {
      const lower = name.slice(4).replace(/-/g, '');
      const term = TERM_BY_LOWER.get(lower);
      if (term === undefined) continue;
      const toValue = (v: string): JsonLdValue => (REFERENCE_TERMS.has(term) ? { '@id': v } : v);
      message[`ids:${term}`] = values.length > 1 || term.startsWith('recipient') ? values.map(toValue) : toValue(first);
    }
  }
  if (Object.keys(token).length > 0) message['ids:securityToken'] = { '@type': 'ids:DynamicAttributeToken', ...token };
  return message;
}
