/**
 * Catalog entities <-> infomodel JSON-LD, written as the Java infomodel library writes it
 * (TRUE Connector's self-description, doc/SELF_DESCRIPTION.md). Pure.
 */
import { compact, dateTimeStamp, ref, typed, xsdString, type JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { IDSC } from '../ids/infomodel/vocabulary.js';
import type { ArtifactEntity } from './entities/artifact.entity.js';
import type { CatalogEntity } from './entities/catalog.entity.js';
import type { ContractOfferEntity } from './entities/contract-offer.entity.js';
import type { RepresentationEntity } from './entities/representation.entity.js';
import type { ResourceEntity } from './entities/resource.entity.js';
import { inlineOwnContext } from '../ids/infomodel/own-context.normalizer.js';

/** A catalog with everything below it, as loaded for the self-description. */
export interface CatalogTree {
  catalog: CatalogEntity;
  resources: {
    resource: ResourceEntity;
    offers: ContractOfferEntity[];
    representations: { representation: RepresentationEntity; artifacts: ArtifactEntity[] }[];
  }[];
}

const stamp = (iso: string): JsonLd => dateTimeStamp(new Date(iso));
const optionalRef = (iri: string | null): JsonLd | undefined => (iri === null ? undefined : ref(iri));

export function artifactToJsonLd(a: ArtifactEntity): JsonLd {
  return compact({
    '@type': 'ids:Artifact',
    '@id': a.iri,
    'ids:fileName': a.fileName ?? undefined,
    'ids:byteSize': a.byteSize === null ? undefined : typed(String(a.byteSize), 'integer'),
    // ids:checkSum is an xsd:string; we state the algorithm so a consumer can verify the bytes.
    'ids:checkSum': a.checksum === null ? undefined : `sha256:${a.checksum}`,
    'ids:creationDate': stamp(a.creationDate),
  });
}

/** `application/json` -> an `ids:IANAMediaType` node with its filename extension. */
export function mediaTypeToJsonLd(mediaType: string): JsonLd {
  const subtype = mediaType.split('/')[1]?.split(/[;+]/)[0] ?? mediaType;
  return {
    '@type': 'ids:IANAMediaType',
    '@id': `https://www.iana.org/assignments/media-types/${mediaType}`,
    'ids:filenameExtension': subtype,
  };
}

export function representationToJsonLd(r: RepresentationEntity, artifacts: ArtifactEntity[]): JsonLd {
  return compact({
    '@type': r.type,
    '@id': r.iri,
    'ids:mediaType': r.mediaType === null ? undefined : mediaTypeToJsonLd(r.mediaType),
    'ids:language': r.language === null ? undefined : ref(IDSC + r.language),
    'ids:created': stamp(r.created),
    'ids:modified': stamp(r.modified),
    'ids:instance': artifacts.map(artifactToJsonLd),
  });
}

/** The stored offer, with the fields the connector owns filled in (`@type`, `ids:provider`). */
export function offerToJsonLd(o: ContractOfferEntity, providerId: string): JsonLd {
  const document = inlineOwnContext(o.document);
  return { '@type': 'ids:ContractOffer', ...document, '@id': o.iri, 'ids:provider': document['ids:provider'] ?? ref(providerId) };
}

export function resourceToJsonLd(tree: CatalogTree['resources'][number], providerId: string): JsonLd {
  const { resource: r } = tree;
  return compact({
    '@type': r.type,
    '@id': r.iri,
    'ids:title': [xsdString(r.title)],
    'ids:description': r.description === null ? undefined : [xsdString(r.description)],
    'ids:keyword': r.keywords.map(xsdString),
    'ids:language': r.languages.map((code) => ref(IDSC + code)),
    'ids:publisher': optionalRef(r.publisher),
    'ids:sovereign': optionalRef(r.sovereign),
    'ids:standardLicense': optionalRef(r.license),
    'ids:version': r.version ?? undefined,
    'ids:created': stamp(r.created),
    'ids:modified': stamp(r.modified),
    'ids:contractOffer': tree.offers.map((o) => offerToJsonLd(o, providerId)),
    'ids:representation': tree.representations.map((x) => representationToJsonLd(x.representation, x.artifacts)),
  });
}

export function catalogToJsonLd(tree: CatalogTree, providerId: string): JsonLd {
  return compact({
    '@type': 'ids:ResourceCatalog',
    '@id': tree.catalog.iri,
    // Always an array, even when empty: TRUE's tools read ["ids:resourceCatalog"][0]["ids:offeredResource"].
    'ids:offeredResource': tree.resources.map((r) => resourceToJsonLd(r, providerId)),
  });
}
