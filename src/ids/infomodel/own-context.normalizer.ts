/**
 * A document embedded in another one loses its own `@context` (JSON-LD 1.1, section 4.1: a nested context would
 * apply, but the Java infomodel serializer and TRUE's parser read one inline context per document). Prefixes it
 * defined beyond `ids:`/`idsc:` (`xsd:` in the policy templates, `dct:` in 4.2 examples) are expanded in keys, `@id`
 * and `@type` values first, so the terms still mean what they meant. Pure.
 */
import { isObject } from './jsonld.reader.js';
import type { JsonLd, JsonLdValue } from './jsonld.writer.js';
import { IDS_CONTEXT } from './vocabulary.js';

export function inlineOwnContext(document: JsonLd): JsonLd {
  const { ['@context']: context, ...rest } = document;
  const prefixes = new Map<string, string>();
  if (isObject(context)) {
    for (const [prefix, iri] of Object.entries(context)) {
      if (typeof iri === 'string' && !(prefix in IDS_CONTEXT) && /^[A-Za-z][\w.-]*$/.test(prefix)) prefixes.set(prefix, iri);
    }
  }
  if (prefixes.size === 0) return rest;
  const expand = (term: string): string => {
    const at = term.indexOf(':');
    const iri = at > 0 ? prefixes.get(term.slice(0, at)) : undefined;
    return iri === undefined || term.slice(at + 1).startsWith('//') ? term : iri + term.slice(at + 1);
  };
  const walk = (value: JsonLdValue): JsonLdValue => {
    if (Array.isArray(value)) return value.map(walk);
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if ((key === '@type' || key === '@id') && typeof v === 'string') return [key, expand(v)];
        if (key === '@type' && Array.isArray(v)) return [key, v.map((t) => (typeof t === 'string' ? expand(t) : t))];
        return [key.startsWith('@') ? key : expand(key), walk(v)];
      }),
    );
  };
  return walk(rest) as JsonLd;
}
