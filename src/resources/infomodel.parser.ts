/**
 * Infomodel JSON-LD (as TRUE Connector's management API takes it) -> drafts of catalog rows. Pure; accepts
 * prefixed, un-prefixed and full-IRI keys (jsonld.reader). Ids are kept as given; missing ones are generated.
 */
import { ConnectorError } from '../common/connector.error.js';
import { firstLiteral, isObject, literals, nodes, prop, reference, references, typeOf } from '../ids/infomodel/jsonld.reader.js';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { compactIri, REPRESENTATION_TYPES, RESOURCE_TYPES } from '../ids/infomodel/vocabulary.js';
import { autogenIri } from './iri.factory.js';

export interface ArtifactDraft {
  iri: string;
  fileName: string | null;
  byteSize: number | null;
  creationDate: string | null;
}
export interface RepresentationDraft {
  iri: string;
  type: string;
  mediaType: string | null;
  language: string | null;
  artifacts: ArtifactDraft[];
}
export interface ResourceDraft {
  iri: string;
  type: string;
  title: string;
  description: string | null;
  keywords: string[];
  languages: string[];
  publisher: string | null;
  sovereign: string | null;
  license: string | null;
  version: string | null;
  representations: RepresentationDraft[];
  offers: JsonLd[];
}

function asObject(value: unknown, field: string): JsonLd {
  if (!isObject(value)) throw ConnectorError.badInput(field, 'must be a JSON-LD object');
  return value;
}

function checkedType(node: JsonLd, allowed: readonly string[], fallback: string, field: string): string {
  const type = typeOf(node) ?? fallback;
  if (!allowed.includes(type)) throw ConnectorError.badInput(`${field}.@type`, `must be one of ${allowed.join(', ')}, got ${type}`);
  return type;
}

const languageCode = (iri: string): string => compactIri(iri).replace(/^idsc:/, '');
const iriOf = (node: JsonLd, kind: string): string => (typeof node['@id'] === 'string' ? node['@id'] : autogenIri(kind));

function validDate(value: string | undefined): string | null {
  return value !== undefined && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null;
}

export function parseArtifact(node: JsonLd): ArtifactDraft {
  const size = firstLiteral(node, 'byteSize');
  return {
    iri: iriOf(node, 'artifact'),
    fileName: firstLiteral(node, 'fileName') ?? null,
    byteSize: size !== undefined && /^\d+$/.test(size) ? Number(size) : null,
    creationDate: validDate(firstLiteral(node, 'creationDate')),
  };
}

export function parseRepresentation(value: unknown, field = 'body'): RepresentationDraft {
  const node = asObject(value, field);
  const mediaType = prop(node, 'mediaType');
  const mediaTypeIri = isObject(mediaType) ? reference(mediaType) : reference(mediaType);
  return {
    iri: iriOf(node, 'representation'),
    type: checkedType(node, REPRESENTATION_TYPES, 'ids:Representation', field),
    mediaType: mediaTypeIri === undefined ? null : mediaTypeIri.replace(/^https?:\/\/www\.iana\.org\/assignments\/media-types\//, ''),
    language: references(node, 'language').map(languageCode)[0] ?? null,
    artifacts: nodes(node, 'instance').map(parseArtifact),
  };
}

export function parseResource(value: unknown, field = 'body'): ResourceDraft {
  const node = asObject(value, field);
  const single = (name: string): string | null => reference(prop(node, name)) ?? null;
  return {
    iri: iriOf(node, 'resource'),
    type: checkedType(node, RESOURCE_TYPES, 'ids:Resource', field),
    title: literals(node, 'title')[0] ?? 'Untitled resource',
    description: literals(node, 'description')[0] ?? null,
    keywords: literals(node, 'keyword'),
    languages: references(node, 'language').map(languageCode),
    publisher: single('publisher'),
    sovereign: single('sovereign'),
    license: single('standardLicense'),
    version: firstLiteral(node, 'version') ?? null,
    representations: nodes(node, 'representation').map((r, i) => parseRepresentation(r, `${field}["ids:representation"][${i}]`)),
    offers: nodes(node, 'contractOffer'),
  };
}
