/**
 * JSON-LD processing without the network. The IDS context URL (https://w3id.org/idsa/contexts/context.jsonld,
 * also with a version path) resolves to the snapshot generated from the v4.1.0 ontology; any other remote
 * context is refused, so a peer cannot make us fetch URLs. Documents in other shapes are compacted to the
 * `ids:`-prefixed form the rest of the code reads (JSON-LD 1.1 compaction; the IDS context https://w3id.org/idsa/contexts/context.jsonld).
 */
import { ConnectorError } from '../../common/connector.error.js';
import { IDS_TERMS } from './ids-context.generated.js';
import { normalizeIdsTerms } from './ids-terms.normalizer.js';
import type { JsonLd } from './jsonld.writer.js';
import { IDS, IDSC, READ_PREFIXES, XSD } from './vocabulary.js';

export const LOCAL_IDS_CONTEXT = { '@context': { ids: IDS, idsc: IDSC, xsd: XSD, ...IDS_TERMS } };

const IDS_CONTEXT_URL = /^https?:\/\/w3id\.org\/idsa\/contexts\/(\d+\.\d+\.\d+\/)?context\.jsonld$/;

export function documentLoader(url: string): Promise<{ contextUrl: null; documentUrl: string; document: object }> {
  if (IDS_CONTEXT_URL.test(url)) return Promise.resolve({ contextUrl: null, documentUrl: url, document: LOCAL_IDS_CONTEXT });
  return Promise.reject(
    new ConnectorError('MALFORMED_MESSAGE', `remote JSON-LD context ${url} is not supported (only the IDS context, resolved locally)`),
  );
}

/** True when the document already uses only the ids/idsc(/xsd) prefixes inline: nothing to do. */
function isPrefixedForm(doc: JsonLd): boolean {
  const context = doc['@context'];
  if (context === undefined || typeof context !== 'object' || context === null || Array.isArray(context)) return false;
  if (!Object.entries(context).every(([k, v]) => READ_PREFIXES[k] === v)) return false;
  return Object.keys(doc).every(
    (key) => key.startsWith('@') || key.startsWith('ids:') || key.startsWith('dct:') || key.startsWith('odrl:'),
  );
}

/**
 * A flattened document (`@graph`, as the information model's own examples are written) -> the node `pick`
 * chooses, with the nodes it references by `@id` (its security token, say) put in place, one level deep.
 */
export function embedGraph(doc: JsonLd, pick: (node: JsonLd) => boolean): JsonLd {
  const graph = doc['@graph'];
  if (!Array.isArray(graph)) return doc;
  const nodes = graph.filter((n): n is JsonLd => typeof n === 'object' && n !== null && !Array.isArray(n));
  const main = nodes.find(pick);
  if (main === undefined) return doc;
  const byId = new Map(nodes.filter((n) => n !== main && typeof n['@id'] === 'string').map((n) => [n['@id'] as string, n]));
  const inline = (v: JsonLd[string]): JsonLd[string] => {
    if (Array.isArray(v)) return v.map(inline);
    if (typeof v === 'object' && v !== null && Object.keys(v).length === 1 && typeof v['@id'] === 'string') return byId.get(v['@id']) ?? v;
    return v;
  };
  return {
    ...(doc['@context'] === undefined ? {} : { '@context': doc['@context'] }),
    ...Object.fromEntries(Object.entries(main).map(([k, v]) => [k, inline(v)])),
  };
}

/** The jsonld processor, loaded when a document first needs it (about 130 ms of a boot otherwise). */
let processor: Promise<typeof import('jsonld')> | undefined;

/** Any IDS JSON-LD (prefixed, un-prefixed with the IDS context URL, full IRIs) -> the prefixed compact form. */
export async function toPrefixedForm(doc: JsonLd): Promise<JsonLd> {
  if (isPrefixedForm(doc)) return doc;
  // The IDS context by its URL, in the shape term substitution can do (DSC's and TRUE's data apps' headers).
  const normalized = normalizeIdsTerms(doc, (url) => IDS_CONTEXT_URL.test(url));
  if (normalized !== undefined) return normalized;
  try {
    processor ??= import('jsonld').then((m) => m.default);
    const jsonld = await processor;
    const compacted = (await jsonld.compact(doc, { ...READ_PREFIXES }, { documentLoader: documentLoader as never })) as JsonLd;
    return compacted;
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    const cause = (error as { details?: { cause?: unknown } }).details?.cause;
    if (cause instanceof ConnectorError) throw cause;
    throw new ConnectorError('MALFORMED_MESSAGE', `not valid JSON-LD: ${error instanceof Error ? error.message : String(error)}`);
  }
}
