import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { needsVectors, vector, VECTORS_PRESENT } from '../../test/support/vectors.js';
import { ConnectorError } from '../common/connector.error.js';
import { parseRepresentation, parseResource } from './infomodel.parser.js';

const trueResources: Record<string, any>[] = VECTORS_PRESENT
  ? JSON.parse(readFileSync(vector('true-connector', 'description-response.self-description.json'), 'utf8')).descriptionResponsePayload[
      'ids:resourceCatalog'
    ][0]['ids:offeredResource']
  : [];

describe('parseResource (TRUE Connector JSON-LD)', () => {
  it("reads TRUE's offered resources with their representations, artifacts and offers", needsVectors("TRUE's self-description"), () => {
    const literature = parseResource(trueResources[0]);
    assert.equal(literature.type, 'ids:TextResource');
    assert.equal(literature.title, 'World class literature');
    assert.deepEqual(literature.keywords, ['Engineering Ingegneria Informatica SpA', 'TRUEConnector']);
    assert.deepEqual(literature.languages, ['EN', 'IT']);
    assert.equal(literature.version, '1.0.0');
    assert.equal(literature.representations[0].type, 'ids:TextRepresentation');
    assert.equal(literature.representations[0].language, 'EN');
    assert.deepEqual(
      literature.representations[0].artifacts.map((a) => a.iri),
      ['http://w3id.org/engrd/connector/artifact/big'],
    );
    assert.equal(literature.representations[0].artifacts[0].creationDate, '2023-06-27T09:51:28.865Z');
    assert.equal(literature.offers.length, 1);
    for (const resource of trueResources) assert.doesNotThrow(() => parseResource(resource));
  });

  it('accepts un-prefixed keys and plain values', () => {
    const draft = parseResource({
      '@type': 'DataResource',
      '@id': 'urn:r',
      title: 'Plain',
      keyword: 'one',
      representation: { '@type': 'DataRepresentation', mediaType: { '@id': 'https://www.iana.org/assignments/media-types/text/csv' } },
    });
    assert.equal(draft.type, 'ids:DataResource');
    assert.deepEqual(draft.keywords, ['one']);
    assert.equal(draft.representations[0].mediaType, 'text/csv');
  });

  it('generates an @id when there is none', () => {
    assert.match(parseRepresentation({ '@type': 'ids:Representation' }).iri, /^https:\/\/w3id\.org\/idsa\/autogen\/representation\//);
  });

  it('refuses what is not a resource, naming the field', () => {
    assert.throws(
      () => parseResource([]),
      (e: unknown) => e instanceof ConnectorError && e.field === 'body',
    );
    assert.throws(
      () => parseResource({ '@type': 'ids:Artifact' }),
      (e: unknown) => e instanceof ConnectorError && e.field === 'body.@type',
    );
    assert.throws(
      () => parseResource({ '@type': 'ids:TextResource', 'ids:representation': [{ '@type': 'ids:Catalog' }] }),
      (e: unknown) => e instanceof ConnectorError && e.field === 'body["ids:representation"][0].@type',
    );
  });
});
