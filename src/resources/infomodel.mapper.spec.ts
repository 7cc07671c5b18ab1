import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArtifactEntity } from './entities/artifact.entity.js';
import type { ContractOfferEntity } from './entities/contract-offer.entity.js';
import type { RepresentationEntity } from './entities/representation.entity.js';
import type { ResourceEntity } from './entities/resource.entity.js';
import { artifactToJsonLd, catalogToJsonLd, mediaTypeToJsonLd, offerToJsonLd, resourceToJsonLd } from './infomodel.mapper.js';
import { selfDescription } from './self-description.mapper.js';

const T = '2026-11-24T10:00:00.000Z';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const artifact: ArtifactEntity = {
  id: 'a',
  iri: 'urn:artifact:1',
  representationId: 'p',
  fileName: 'x.json',
  byteSize: 12,
  checksum: 'ab'.repeat(32),
  creationDate: T,
  sourceType: 'upload',
  sourceLocation: '/tmp/x',
  created: T,
  modified: T,
};
const representation: RepresentationEntity = {
  id: 'p',
  iri: 'urn:rep:1',
  resourceId: 'r',
  type: 'ids:DataRepresentation',
  mediaType: 'application/json',
  language: 'EN',
  created: T,
  modified: T,
};
const resource: ResourceEntity = {
  id: 'r',
  iri: 'urn:res:1',
  catalogId: 'c',
  type: 'ids:DataResource',
  title: 'Pumps',
  description: null,
  keywords: ['a', 'b'],
  languages: ['EN', 'DE'],
  publisher: 'https://p.example',
  sovereign: null,
  license: null,
  version: '1',
  created: T,
  modified: T,
};
const offer: ContractOfferEntity = {
  id: 'o',
  iri: 'urn:offer:1',
  resourceId: 'r',
  document: { '@context': { ids: 'x' }, 'ids:permission': [] },
  created: T,
  modified: T,
};

describe('infomodel mapper (Java library JSON-LD form)', () => {
  it('writes typed literals, references and arrays as the Java serializer does', () => {
    const json = resourceToJsonLd({ resource, offers: [offer], representations: [{ representation, artifacts: [artifact] }] }, 'urn:me');
    assert.deepEqual(json['ids:title'], [{ '@value': 'Pumps', '@type': `${XSD}string` }]);
    assert.deepEqual(json['ids:keyword'], [
      { '@value': 'a', '@type': `${XSD}string` },
      { '@value': 'b', '@type': `${XSD}string` },
    ]);
    assert.deepEqual(json['ids:language'], [{ '@id': 'https://w3id.org/idsa/code/EN' }, { '@id': 'https://w3id.org/idsa/code/DE' }]);
    assert.deepEqual(json['ids:publisher'], { '@id': 'https://p.example' });
    assert.equal(json['ids:description'], undefined, 'absent, not null');
    assert.equal(json['ids:sovereign'], undefined);
    assert.deepEqual(json['ids:created'], { '@value': T, '@type': `${XSD}dateTimeStamp` });
    assert.equal((json['ids:representation'] as any[])[0]['ids:instance'][0]['@id'], 'urn:artifact:1');
  });

  it('writes artifacts with size, checksum and creation date', () => {
    assert.deepEqual(artifactToJsonLd(artifact), {
      '@type': 'ids:Artifact',
      '@id': 'urn:artifact:1',
      'ids:fileName': 'x.json',
      'ids:byteSize': { '@value': '12', '@type': `${XSD}integer` },
      'ids:checkSum': `sha256:${'ab'.repeat(32)}`,
      'ids:creationDate': { '@value': T, '@type': `${XSD}dateTimeStamp` },
    });
  });

  it('gives offers their @id, type and provider, dropping an embedded context', () => {
    const json = offerToJsonLd(offer, 'urn:me');
    assert.equal(json['@id'], 'urn:offer:1');
    assert.equal(json['@type'], 'ids:ContractOffer');
    assert.deepEqual(json['ids:provider'], { '@id': 'urn:me' });
    assert.equal(json['@context'], undefined);
  });

  it('maps media types to IANA nodes', () => {
    assert.deepEqual(mediaTypeToJsonLd('application/ld+json'), {
      '@type': 'ids:IANAMediaType',
      '@id': 'https://www.iana.org/assignments/media-types/application/ld+json',
      'ids:filenameExtension': 'ld',
    });
  });

  it('always writes ids:offeredResource as an array, even for an empty catalog', () => {
    const sd = selfDescription(
      {
        id: 'urn:me',
        title: 't',
        description: 'd',
        curator: 'urn:c',
        maintainer: 'urn:m',
        securityProfile: 'BASE_SECURITY_PROFILE',
        accessUrl: 'https://me/data',
        publicKey: 'AAAA',
      },
      [{ catalog: { id: 'c', iri: 'urn:cat', title: null, description: null, created: T, modified: T }, resources: [] }],
    );
    assert.deepEqual((sd['ids:resourceCatalog'] as any[])[0]['ids:offeredResource'], []);
    assert.deepEqual(
      catalogToJsonLd(
        { catalog: { id: 'c', iri: 'urn:cat', title: null, description: null, created: T, modified: T }, resources: [] },
        'urn:me',
      ),
      { '@type': 'ids:ResourceCatalog', '@id': 'urn:cat' },
    );
    assert.equal((sd['ids:publicKey'] as any)['ids:keyValue']['@type'], `${XSD}base64Binary`);
  });
});
