import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { needsVectors, vector } from '../../../test/support/vectors.js';
import { generateIdsContext } from '../../../test/tools/ids-context.generator.js';
import { IDS_TERMS } from './ids-context.generated.js';

describe('the local IDS JSON-LD context', () => {
  it('is what the generator makes from the v4.1.0 ontology (no drift)', needsVectors('the v4.1.0 ontology'), () => {
    const fresh = generateIdsContext(vector('ids-infomodel', 'v4.1.0', 'ontology'));
    assert.deepEqual(IDS_TERMS, fresh);
    assert.ok(Object.keys(fresh).length > 400);
    assert.deepEqual(fresh['issuerConnector'], { '@id': 'ids:issuerConnector', '@type': '@id' });
    assert.deepEqual(fresh['modelVersion'], { '@id': 'ids:modelVersion' });
    assert.equal(fresh['ArtifactRequestMessage'], 'ids:ArtifactRequestMessage');
  });
});
