/**
 * Offline SHACL validation against the IDS Information Model v4.1.0 shapes, as its README describes (testing/)
 * describes: all *Shape.ttl files with their sh:sparql links removed (rdf-validate-shacl has no SPARQL
 * engine), and the ontology (without third-party references/) added to the data graph so sh:class sees
 * rdfs:subClassOf and the idsc: individuals. JSON-LD is turned into RDF with a loader that refuses the network.
 */
import rdf from '@zazuko/env-node';
import jsonld from 'jsonld';
import { Parser, type Quad } from 'n3';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SHACLValidator from 'rdf-validate-shacl';
import { vector } from './vectors.js';

const SH_SPARQL = 'http://www.w3.org/ns/shacl#sparql';

function files(dir: string, accept: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, accept) : accept(path) ? [path] : [];
  });
}

function parseTurtle(path: string): Quad[] {
  return new Parser({ baseIRI: 'https://w3id.org/idsa/core/' }).parse(readFileSync(path, 'utf8'));
}

/** A jsonld document loader that never touches the network. */
export const offlineLoader = (url: string): Promise<never> => Promise.reject(new Error(`offline: refusing to fetch ${url}`));

export interface ShaclResult {
  conforms: boolean;
  problems: string[];
}

export class InfomodelShacl {
  private constructor(
    private readonly validator: SHACLValidator,
    private readonly ontology: Quad[],
  ) {}

  static load(version = 'v4.1.0'): InfomodelShacl {
    const root = vector('ids-infomodel', version);
    const shapeQuads = files(join(root, 'shapes'), (p) => p.endsWith('Shape.ttl'))
      .flatMap(parseTurtle)
      .filter((q) => q.predicate.value !== SH_SPARQL);
    const ontology = files(join(root, 'ontology'), (p) => p.endsWith('.ttl') && !p.includes('/references/')).flatMap(parseTurtle);
    const shapes = rdf.dataset(shapeQuads as never);
    return new InfomodelShacl(new SHACLValidator(shapes, { factory: rdf }), ontology);
  }

  async validate(document: object): Promise<ShaclResult> {
    const nquads = (await jsonld.toRDF(document, { format: 'application/n-quads', documentLoader: offlineLoader })) as unknown as string;
    const data = rdf.dataset([...(new Parser({ format: 'N-Quads' }).parse(nquads) as never[]), ...(this.ontology as never[])]);
    const report = await this.validator.validate(data);
    return {
      conforms: report.conforms,
      problems: report.results.map(
        (r) => `${r.focusNode?.value ?? '?'} ${r.path?.value ?? ''}: ${r.message.map((m) => m.value).join('; ')}`,
      ),
    };
  }
}
