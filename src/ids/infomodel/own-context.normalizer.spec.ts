import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inlineOwnContext } from './own-context.normalizer.js';

describe('an embedded document keeps the meaning of its own prefixes', () => {
  it('expands prefixes beyond ids/idsc in keys, @id and @type, and drops the context', () => {
    const out = inlineOwnContext({
      '@context': { ids: 'https://w3id.org/idsa/core/', xsd: 'http://www.w3.org/2001/XMLSchema#', dct: 'http://purl.org/dc/terms/' },
      '@type': 'ids:ContractOffer',
      'dct:creator': { '@id': 'dct:Agent' },
      'ids:permission': [
        { 'ids:description': [{ '@value': 'usage-logging', '@type': 'xsd:string' }], 'ids:target': { '@id': 'https://x.example/a' } },
      ],
    });
    assert.deepEqual(out, {
      '@type': 'ids:ContractOffer',
      'http://purl.org/dc/terms/creator': { '@id': 'http://purl.org/dc/terms/Agent' },
      'ids:permission': [
        {
          'ids:description': [{ '@value': 'usage-logging', '@type': 'http://www.w3.org/2001/XMLSchema#string' }],
          'ids:target': { '@id': 'https://x.example/a' },
        },
      ],
    });
  });

  it('leaves a document without extra prefixes as it is (less its context), and absolute IRIs alone', () => {
    assert.deepEqual(inlineOwnContext({ '@context': { ids: 'https://w3id.org/idsa/core/' }, '@id': 'https://a.example/x' }), {
      '@id': 'https://a.example/x',
    });
    assert.deepEqual(inlineOwnContext({ '@context': { https: 'urn:bad:' }, '@id': 'https://a.example/x' }), {
      '@id': 'https://a.example/x',
    });
  });
});
