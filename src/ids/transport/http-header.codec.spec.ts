import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { headersToMessage, messageToHeaders } from './http-header.codec.js';

describe('http-header codec', () => {
  const message = {
    '@context': { ids: 'https://w3id.org/idsa/core/' },
    '@type': 'ids:ArtifactRequestMessage',
    '@id': 'https://example.org/m/1',
    'ids:modelVersion': '4.2.7',
    'ids:issued': { '@value': '2026-11-24T10:00:00.000Z', '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' },
    'ids:issuerConnector': { '@id': 'https://example.org/c' },
    'ids:recipientConnector': [{ '@id': 'https://a.example/' }, { '@id': 'https://b.example/' }],
    'ids:requestedArtifact': { '@id': 'https://example.org/artifact/1' },
    'ids:securityToken': {
      '@type': 'ids:DynamicAttributeToken',
      '@id': 'https://example.org/t/1',
      'ids:tokenValue': 'abc',
      'ids:tokenFormat': { '@id': 'https://w3id.org/idsa/code/JWT' },
    },
  };

  it('writes the header names TRUE uses', () => {
    const h = messageToHeaders(message);
    assert.equal(h['IDS-Messagetype'], 'ids:ArtifactRequestMessage');
    assert.equal(h['IDS-Id'], 'https://example.org/m/1');
    assert.equal(h['IDS-Issued'], '2026-11-24T10:00:00.000Z');
    assert.equal(h['IDS-IssuerConnector'], 'https://example.org/c');
    assert.deepEqual(h['IDS-RecipientConnector'], ['https://a.example/', 'https://b.example/']);
    assert.equal(h['IDS-SecurityToken-TokenValue'], 'abc');
    assert.equal(h['IDS-SecurityToken-TokenFormat'], 'https://w3id.org/idsa/code/JWT');
    assert.equal(h['@context'], undefined);
  });

  it('reads them back from lower-cased Node headers, restoring property names', () => {
    const lower = Object.fromEntries(
      Object.entries(messageToHeaders(message)).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]),
    );
    const back = headersToMessage(lower);
    assert.equal(back['@type'], 'ids:ArtifactRequestMessage');
    assert.deepEqual(back['ids:issuerConnector'], { '@id': 'https://example.org/c' });
    assert.deepEqual(back['ids:requestedArtifact'], { '@id': 'https://example.org/artifact/1' });
    assert.deepEqual(back['ids:recipientConnector'], [{ '@id': 'https://a.example/' }, { '@id': 'https://b.example/' }]);
    assert.equal(back['ids:issued'], '2026-11-24T10:00:00.000Z');
    assert.equal((back['ids:securityToken'] as Record<string, unknown>)['ids:tokenValue'], 'abc');
  });

  it("refuses a message that would not fit TRUE's 15,360-byte header limit", () => {
    assert.throws(
      () =>
        messageToHeaders({ ...message, 'ids:securityToken': { ...message['ids:securityToken'], 'ids:tokenValue': 'x'.repeat(16_000) } }),
      /15360-byte limit/,
    );
  });
});
