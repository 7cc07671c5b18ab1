import jsonld from 'jsonld';
import { Parser } from 'n3';
import { documentLoader } from '../../src/ids/infomodel/local-context.js';

/** A triple as N-Triples-like terms: `<iri>`, `"literal"`, `_:b0`. */
export type Triple = [string, string, string];

const term = (t: { termType: string; value: string }): string =>
  t.termType === 'NamedNode' ? `<${t.value}>` : t.termType === 'Literal' ? JSON.stringify(t.value) : `_:${t.value}`;

/** JSON-LD (resolved offline with the IDS context) to triples. */
export async function triplesOf(document: object): Promise<Triple[]> {
  const nquads = (await jsonld.toRDF(document, {
    format: 'application/n-quads',
    documentLoader: documentLoader as never,
  })) as unknown as string;
  return new Parser({ format: 'N-Quads' }).parse(nquads).map((q) => [term(q.subject), term(q.predicate), term(q.object)]);
}

/**
 * Just enough SPARQL for a test broker: `PREFIX`es and `SELECT ?v ... WHERE { s p o . ... }` with variables, IRIs,
 * prefixed names, `a` and plain string literals. The answer is tab-separated text with a header line, as the
 * open broker answers SELECT queries. Anything else throws (the broker then answers BAD_PARAMETERS).
 */
export function select(query: string, triples: Triple[]): string {
  const prefixes: Record<string, string> = {};
  for (const m of query.matchAll(/PREFIX\s+(\w*):\s*<([^>]+)>/gi)) prefixes[m[1]] = m[2]!;
  const head = /SELECT\s+(DISTINCT\s+)?((?:\?\w+\s*)+)\s*WHERE\s*\{([\s\S]*)\}/i.exec(query);
  if (!head) throw new Error('only SELECT ?vars WHERE { ... } is supported');
  const vars = head[2].trim().split(/\s+/);
  const resolve = (t: string): string => {
    if (t.startsWith('?') || t.startsWith('<') || t.startsWith('"')) return t;
    if (t === 'a') return '<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>';
    const [p, local] = t.split(':');
    if (p === undefined || local === undefined || prefixes[p] === undefined) throw new Error(`unknown term ${t}`);
    return `<${prefixes[p]}${local}>`;
  };
  const patterns = head[3]
    .split(/\s+\.\s*|\s*\.\s*$/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s.match(/"[^"]*"|<[^>]*>|\S+/g) ?? []).map(resolve) as Triple);
  let rows: Record<string, string>[] = [{}];
  for (const pattern of patterns) {
    const next: Record<string, string>[] = [];
    for (const row of rows) {
      for (const triple of triples) {
        const bound = { ...row };
        if (pattern.every((p, i) => (p.startsWith('?') ? (bound[p] ??= triple[i]) === triple[i] : p === triple[i]))) next.push(bound);
      }
    }
    rows = next;
  }
  const lines = [...new Set(rows.map((r) => vars.map((v) => r[v] ?? '').join('\t')))];
  return [vars.join('\t'), ...lines].join('\n') + '\n';
}
