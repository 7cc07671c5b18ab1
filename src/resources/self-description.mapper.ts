/**
 * The connector's self-description as an `ids:BaseConnector` (InfrastructureComponent + Connector shapes,
 * information model v4.1.0 testing/infrastructure/*Shape.ttl), written as TRUE Connector writes it. Pure.
 */
import { ref, typed, xsdString, type JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { IDS_CONTEXT, IDSC, INBOUND_MODEL_VERSIONS, OUTBOUND_MODEL_VERSION } from '../ids/infomodel/vocabulary.js';
import { catalogToJsonLd, type CatalogTree } from './infomodel.mapper.js';

export interface ConnectorFacts {
  id: string;
  title: string;
  description: string;
  curator: string;
  maintainer: string;
  securityProfile: string;
  /** The IDS endpoint (`<public url>/data`). */
  accessUrl: string;
  /** Base64 DER SubjectPublicKeyInfo of the connector key. */
  publicKey: string;
}

export function selfDescription(facts: ConnectorFacts, catalogs: CatalogTree[]): JsonLd {
  const catalogNodes = catalogs.map((c) => {
    const node = catalogToJsonLd(c, facts.id);
    return { ...node, 'ids:offeredResource': node['ids:offeredResource'] ?? [] };
  });
  return {
    '@context': { ...IDS_CONTEXT },
    '@type': 'ids:BaseConnector',
    '@id': facts.id,
    'ids:title': [xsdString(facts.title)],
    'ids:description': [xsdString(facts.description)],
    'ids:curator': ref(facts.curator),
    'ids:maintainer': ref(facts.maintainer),
    'ids:securityProfile': ref(IDSC + facts.securityProfile),
    'ids:hasDefaultEndpoint': {
      '@type': 'ids:ConnectorEndpoint',
      '@id': `${facts.accessUrl}#endpoint`,
      'ids:accessURL': ref(facts.accessUrl),
    },
    'ids:inboundModelVersion': [...INBOUND_MODEL_VERSIONS],
    'ids:outboundModelVersion': OUTBOUND_MODEL_VERSION,
    'ids:publicKey': {
      '@type': 'ids:PublicKey',
      '@id': `${facts.id.replace(/\/$/, '')}#publicKey`,
      'ids:keyType': ref(IDSC + 'RSA'),
      'ids:keyValue': typed(facts.publicKey, 'base64Binary'),
    },
    'ids:resourceCatalog': catalogNodes,
  };
}
