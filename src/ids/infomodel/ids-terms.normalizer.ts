/**
 * The un-prefixed IDS shape (`"@context": "https://w3id.org/idsa/contexts/context.jsonld"`, terms such as
 * `issuerConnector`: how the Dataspace Connector and TRUE's data apps write headers) rewritten to the prefixed form
 * without a JSON-LD processor, for the documents where that is plain term substitution. The IDS context (v4.1.0,
 * ids-context.generated.ts) defines only prefixes and terms, each an IRI optionally coerced to `@id`: no `@vocab`,
 * no containers, no scoped contexts, no typed-literal coercion. For such a context, expanding and then compacting
 * with READ_PREFIXES (JSON-LD 1.1 Processing Algorithms, §5.1 Expansion, §6.1 Compaction, §6.3 IRI Compaction)
 * amounts to: a term or compact IRI key -> its IRI -> its prefixed form; an `@id`-coerced string -> `{"@id": …}`;
 * `@id` and `@type` values expanded and compacted the same way; value objects with only `@value` -> the plain
 * value; one-element arrays unwrapped. Anything else (an unknown key, a nested context, a list, a language, a
 * relative IRI, a null, an empty array) answers `undefined`, and the caller hands the document to jsonld: this is a
 * shortcut for the common case, never a second interpretation of JSON-LD (its spec compares both on every shape).
 */
import { IDS_TERMS } from './ids-context.generated.js';
import type { JsonLd } from './jsonld.writer.js';
import { IDS, IDSC, READ_PREFIXES, XSD } from './vocabulary.js';

type Value = JsonLd[string];

/** The prefixes the IDS context defines, by prefix (expansion). */
const CONTEXT_PREFIXES: Readonly<Record<string, string>> = { ids: IDS, idsc: IDSC, xsd: XSD };
/** The prefixes of the compacted form, namespace first (compaction): none is a prefix of another. */
const NAMESPACES = Object.entries(READ_PREFIXES).map(([prefix, namespace]) => ({ prefix, namespace }));
const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** A term of the IDS context; own keys only ("constructor" in a header is not a term). */
function termOf(key: string): (typeof IDS_TERMS)[string] | undefined {
  return Object.hasOwn(IDS_TERMS, key) ? IDS_TERMS[key] : undefined;
}

class Unhandled extends Error {}
const unhandled = (): never => {
  throw new Unhandled();
};

/** A compact IRI with one of the context's prefixes, or an absolute IRI; with `vocab`, a term of the context too. */
function expandIri(value: string, vocab: boolean): string {
  if (vocab) {
    const term = termOf(value);
    if (term !== undefined) return expandIri(typeof term === 'string' ? term : term['@id'], false);
  }
  const colon = value.indexOf(':');
  if (colon > 0) {
    const namespace = CONTEXT_PREFIXES[value.slice(0, colon)];
    const rest = value.slice(colon + 1);
    // "ids://x" is an absolute IRI with the scheme ids, not a compact IRI (JSON-LD 1.1 §4.4).
    if (namespace !== undefined && !rest.startsWith('//')) return namespace + rest;
    if (ABSOLUTE.test(value) && !value.startsWith('_:')) return value;
  }
  return unhandled();
}

/** The shortest compact IRI READ_PREFIXES allow (they do not overlap, so at most one applies), else the IRI. */
function compactIri(iri: string): string {
  for (const { prefix, namespace } of NAMESPACES) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) {
      const suffix = iri.slice(namespace.length);
      // A suffix that would make the result read as an absolute IRI is not compacted (§6.3, compact IRI checks).
      return suffix.startsWith('//') ? iri : `${prefix}:${suffix}`;
    }
  }
  // An IRI whose scheme is one of the prefixes ("dct:x" where the IDS context has no dct) is an error in jsonld.
  return READ_PREFIXES[iri.slice(0, iri.indexOf(':'))] === undefined ? iri : unhandled();
}

function one(values: Value[]): Value {
  return values.length === 1 ? values[0] : values;
}

function value(item: Value, coerced: boolean): Value {
  if (typeof item === 'string') return coerced ? { '@id': compactIri(expandIri(item, false)) } : item;
  if (typeof item === 'number' || typeof item === 'boolean') return coerced ? unhandled() : item;
  if (item === null || Array.isArray(item)) return unhandled();
  if ('@value' in item) {
    const keys = Object.keys(item);
    const literal = item['@value'];
    if (keys.some((k) => k !== '@value' && k !== '@type') || typeof literal !== 'string') return unhandled();
    const type = item['@type'];
    if (type === undefined) return coerced ? unhandled() : literal;
    if (typeof type !== 'string') return unhandled();
    return { '@value': literal, '@type': compactIri(expandIri(type, true)) };
  }
  return node(item);
}

function node(input: JsonLd): JsonLd {
  // An empty node is dropped or kept by rules of its own (§5.1.2, the last steps): left to jsonld.
  if (Object.keys(input).length === 0) return unhandled();
  // Compaction writes @id, then @type, then the properties in the order of their expanded IRIs.
  let id: string | undefined;
  let type: Value | undefined;
  const properties: [string, Value][] = [];
  for (const [key, raw] of Object.entries(input)) {
    if (key === '@id') {
      if (typeof raw !== 'string') return unhandled();
      id = compactIri(expandIri(raw, false));
    } else if (key === '@type') {
      const types = (Array.isArray(raw) ? raw : [raw]).map((t) => (typeof t === 'string' ? compactIri(expandIri(t, true)) : unhandled()));
      if (types.length === 0) return unhandled();
      type = one(types);
    } else if (key.startsWith('@')) {
      return unhandled();
    } else {
      const term = termOf(key);
      const coerced = typeof term === 'object' && term['@type'] === '@id';
      const iri = term === undefined ? expandIri(key, false) : expandIri(typeof term === 'string' ? term : term['@id'], false);
      const items = Array.isArray(raw) ? raw : [raw];
      if (items.length === 0) return unhandled();
      properties.push([iri, one(items.map((item) => value(item, coerced)))]);
    }
  }
  properties.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Two keys for one IRI are merged by expansion: left to jsonld.
  for (let i = 1; i < properties.length; i++) if (properties[i][0] === properties[i - 1][0]) return unhandled();
  const out: JsonLd = {};
  if (id !== undefined) out['@id'] = id;
  if (type !== undefined) out['@type'] = type;
  for (const [iri, v] of properties) out[compactIri(iri)] = v;
  return out;
}

/** `doc` in the prefixed compact form, or `undefined` when it needs a JSON-LD processor (see above). */
export function normalizeIdsTerms(doc: JsonLd, isIdsContext: (url: string) => boolean): JsonLd | undefined {
  const context = doc['@context'];
  if (typeof context !== 'string' || !isIdsContext(context)) return undefined;
  const { '@context': _context, ...rest } = doc;
  // A top-level node without a type or properties may be dropped by expansion: left to jsonld.
  if (rest['@type'] === undefined) return undefined;
  try {
    return { '@context': { ...READ_PREFIXES }, ...node(rest) };
  } catch (error) {
    if (error instanceof Unhandled) return undefined;
    throw error;
  }
}
