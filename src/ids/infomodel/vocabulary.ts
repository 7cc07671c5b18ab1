/**
 * Namespaces and the subset of the IDS Information Model 4.x vocabulary we use
 * (InformationModel repository, tag v4.1.0: model/, codes/, taxonomies/).
 */
export const IDS = 'https://w3id.org/idsa/core/';
export const IDSC = 'https://w3id.org/idsa/code/';
export const XSD = 'http://www.w3.org/2001/XMLSchema#';
export const DCT = 'http://purl.org/dc/terms/';
export const ODRL = 'http://www.w3.org/ns/odrl/2/';

/**
 * Properties the information model 4.2 took from Dublin Core and ODRL (v4.2.0 CHANGELOG: "Remove ids:issued",
 * "ids:publisher -> dct:publisher", DescribedShape on dct:title/dct:description, "Fully replace ids:Action with
 * odrl:Action"). Readers accept the 4.2 name wherever they read the 4.1 one; writers keep 4.1 names, which
 * TRUE Connector and the Dataspace Connector (infomodel Java 4.1.x to 4.2.7) read.
 */
export const RENAMED_IN_4_2: Readonly<Record<string, string>> = {
  issued: DCT + 'issued',
  title: DCT + 'title',
  description: DCT + 'description',
  publisher: DCT + 'publisher',
  creator: DCT + 'creator',
  created: DCT + 'created',
  modified: DCT + 'modified',
  language: DCT + 'language',
  license: DCT + 'license',
  action: ODRL + 'action',
  leftOperand: ODRL + 'leftOperand',
  operator: ODRL + 'operator',
  rightOperand: ODRL + 'rightOperand',
  target: ODRL + 'target',
  assigner: ODRL + 'assigner',
  assignee: ODRL + 'assignee',
  constraint: ODRL + 'constraint',
};

/** The inline context the Java infomodel serializer writes (TRUE Connector, Dataspace Connector). */
export const IDS_CONTEXT = { ids: IDS, idsc: IDSC } as const;

/** Prefixes a compacted document may also use (4.2 examples add them): compaction keeps `dct:`/`odrl:` keys short. */
export const READ_PREFIXES: Readonly<Record<string, string>> = {
  ...IDS_CONTEXT,
  xsd: XSD,
  dct: DCT,
  odrl: ODRL,
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
};

/** The remote context some peers reference; never fetched (resolved to a local snapshot). */
export const IDS_CONTEXT_URL = 'https://w3id.org/idsa/contexts/context.jsonld';

/** Model versions we accept inbound (TRUE/DSC list, IDS-NOTES 1.1) and the one we write. */
export const INBOUND_MODEL_VERSIONS = [
  '4.0.0',
  '4.1.0',
  '4.1.2',
  '4.2.0',
  '4.2.1',
  '4.2.2',
  '4.2.3',
  '4.2.4',
  '4.2.5',
  '4.2.6',
  '4.2.7',
] as const;
export const OUTBOUND_MODEL_VERSION = '4.2.7';

/** The security profiles of the information model (codes/SecurityProfile.ttl v4.1.0), in ascending order. */
export const SECURITY_PROFILES = ['BASE_SECURITY_PROFILE', 'TRUST_SECURITY_PROFILE', 'TRUST_PLUS_SECURITY_PROFILE'] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

/** `ids:Resource` and its subclasses in the v4.1.0 ontology (model/content/Resource.ttl and taxonomy). */
export const RESOURCE_TYPES = [
  'ids:Resource',
  'ids:DataResource',
  'ids:TextResource',
  'ids:ImageResource',
  'ids:VideoResource',
  'ids:AudioResource',
  'ids:SoftwareResource',
  'ids:AppResource',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const REPRESENTATION_TYPES = [
  'ids:Representation',
  'ids:DataRepresentation',
  'ids:TextRepresentation',
  'ids:ImageRepresentation',
  'ids:VideoRepresentation',
  'ids:AudioRepresentation',
  'ids:SoftwareRepresentation',
  'ids:AppRepresentation',
] as const;
export type RepresentationType = (typeof REPRESENTATION_TYPES)[number];

/** Prefixed or full IRI to the prefixed form (`https://w3id.org/idsa/code/EN` -> `idsc:EN`). */
export function compactIri(value: string): string {
  if (value.startsWith(IDSC)) return 'idsc:' + value.slice(IDSC.length);
  if (value.startsWith(IDS)) return 'ids:' + value.slice(IDS.length);
  return value;
}

/** Prefixed or full IRI to the full IRI. */
export function expandIri(value: string): string {
  if (value.startsWith('idsc:')) return IDSC + value.slice(5);
  if (value.startsWith('ids:')) return IDS + value.slice(4);
  return value;
}

/**
 * The representation class a resource class requires (v4.1.0 taxonomies ResourceShape: an ids:DataResource's
 * ids:representation must be an ids:DataRepresentation, and so on).
 */
export function representationTypeFor(resourceType: string): RepresentationType {
  const candidate = resourceType === 'ids:Resource' ? 'ids:Representation' : resourceType.replace(/Resource$/, 'Representation');
  return (REPRESENTATION_TYPES as readonly string[]).includes(candidate) ? (candidate as RepresentationType) : 'ids:Representation';
}

/** Whether a representation of this class may sit under a resource of that class. */
export function representationFits(resourceType: string, representationType: string): boolean {
  const required = representationTypeFor(resourceType);
  return required === 'ids:Representation' || representationType === required;
}
