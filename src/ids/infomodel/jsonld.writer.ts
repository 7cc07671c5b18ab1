/**
 * How the Java infomodel serializer writes JSON-LD (what TRUE Connector and the Dataspace Connector send,
 * infomodel Java library 4.2.7, Serializer): `ids:`-prefixed keys, references as `{"@id"}`, typed literals as
 * `{"@value","@type"}`, multi-valued properties always as arrays.
 */
import { XSD } from './vocabulary.js';

export type JsonLd = { [key: string]: JsonLdValue };
export type JsonLdValue = string | number | boolean | null | JsonLd | JsonLdValue[];

export function ref(iri: string): JsonLd {
  return { '@id': iri };
}

export function typed(
  value: string,
  xsdType: 'string' | 'dateTimeStamp' | 'integer' | 'anyURI' | 'duration' | 'double' | 'decimal' | 'base64Binary',
): JsonLd {
  return { '@value': value, '@type': XSD + xsdType };
}

export function xsdString(value: string): JsonLd {
  return typed(value, 'string');
}

export function langString(value: string, language: string): JsonLd {
  return { '@value': value, '@language': language };
}

/** Normalised to UTC with milliseconds, as `DateUtil.normalizedDateTime` in TRUE's library. */
export function dateTimeStamp(date: Date): JsonLd {
  return typed(date.toISOString(), 'dateTimeStamp');
}

/** Drop keys whose value is undefined or an empty array, so optional fields vanish instead of turning null. */
export function compact(object: Record<string, JsonLdValue | undefined>): JsonLd {
  const out: JsonLd = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[key] = value;
  }
  return out;
}
