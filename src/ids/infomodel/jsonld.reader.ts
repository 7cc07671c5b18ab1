/**
 * Reading compacted infomodel JSON-LD leniently: keys with or without the `ids:` prefix or as full IRIs,
 * values single or in arrays, literals plain or as `{"@value"}`, references as strings or `{"@id"}`.
 * (The Java serializer writes one form; the IDS-G multipart README's examples use another.)
 */
import { IDS, RENAMED_IN_4_2 } from './vocabulary.js';

/** `http://purl.org/dc/terms/issued` -> also `dct:issued`, as compacted documents write it. */
function shortForms(iri: string): string[] {
  return [iri, iri.replace('http://purl.org/dc/terms/', 'dct:').replace('http://www.w3.org/ns/odrl/2/', 'odrl:')];
}
import type { JsonLd, JsonLdValue } from './jsonld.writer.js';

export function isObject(value: unknown): value is JsonLd {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The raw value of an `ids:` property under any of its spellings, 4.2's Dublin Core and ODRL names included. */
export function prop(node: JsonLd, name: string): JsonLdValue | undefined {
  const found = node[`ids:${name}`] ?? node[name] ?? node[IDS + name];
  if (found !== undefined) return found;
  const renamed = RENAMED_IN_4_2[name];
  if (renamed === undefined) return undefined;
  for (const key of shortForms(renamed)) if (node[key] !== undefined) return node[key];
  return undefined;
}

export function values(node: JsonLd, name: string): JsonLdValue[] {
  const value = prop(node, name);
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A literal's lexical value (`"x"`, `{"@value":"x"}`), or undefined. */
export function literal(value: JsonLdValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value)) {
    const inner = value['@value'];
    if (typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean') return String(inner);
  }
  return undefined;
}

/** A reference's IRI (`"iri"`, `{"@id":"iri"}`), or undefined. */
export function reference(value: JsonLdValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value['@id'] === 'string') return value['@id'];
  return undefined;
}

export function firstLiteral(node: JsonLd, name: string): string | undefined {
  return literal(values(node, name)[0]);
}

export function literals(node: JsonLd, name: string): string[] {
  return values(node, name)
    .map(literal)
    .filter((v): v is string => v !== undefined);
}

export function references(node: JsonLd, name: string): string[] {
  return values(node, name)
    .map(reference)
    .filter((v): v is string => v !== undefined);
}

export function nodes(node: JsonLd, name: string): JsonLd[] {
  return values(node, name).filter(isObject);
}

/** The node's `@type`, prefixed (`ids:TextResource`), whatever spelling it came in. */
export function typeOf(node: JsonLd): string | undefined {
  const type = node['@type'];
  const first = Array.isArray(type) ? type[0] : type;
  if (typeof first !== 'string') return undefined;
  if (first.startsWith(IDS)) return 'ids:' + first.slice(IDS.length);
  return first.includes(':') ? first : `ids:${first}`;
}

/** A value as text for messages and logs: strings as they are, anything else as JSON. */
export function asText(value: JsonLdValue | undefined): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null);
}
