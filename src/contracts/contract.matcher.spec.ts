import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonLd } from '../ids/infomodel/jsonld.writer.js';
import { matchRequest } from './contract.matcher.js';

const USE = { '@id': 'https://w3id.org/idsa/code/USE' };
const COUNT5 = {
  '@type': 'ids:Constraint',
  'ids:leftOperand': { '@id': 'idsc:COUNT' },
  'ids:operator': { '@id': 'idsc:LTEQ' },
  'ids:rightOperand': { '@value': '5', '@type': 'xsd:double' },
};
const BEFORE = {
  'ids:leftOperand': { '@id': 'https://w3id.org/idsa/code/POLICY_EVALUATION_TIME' },
  'ids:operator': { '@id': 'https://w3id.org/idsa/code/BEFORE' },
  'ids:rightOperand': { '@value': '2030-01-01T00:00:00Z', '@type': 'http://www.w3.org/2001/XMLSchema#dateTimeStamp' },
};
const permission = { '@id': 'urn:p:1', 'ids:target': { '@id': 'urn:a:1' }, 'ids:action': [USE], 'ids:constraint': [COUNT5] };
const offer: JsonLd = {
  '@type': 'ids:ContractOffer',
  'ids:permission': [permission],
  'ids:prohibition': [{ '@id': 'urn:x:1', 'ids:action': [{ '@id': 'idsc:DISTRIBUTE' }] }],
};
const request = (changes: JsonLd, prohibition = offer['ids:prohibition']!): JsonLd => ({
  '@type': 'ids:ContractRequest',
  'ids:permission': [{ ...permission, ...changes }],
  'ids:prohibition': prohibition,
});

describe('matchRequest', () => {
  it('accepts the offer itself, in either IRI spelling', () => {
    assert.deepEqual(matchRequest(offer, request({})), []);
    const expanded = {
      ...COUNT5,
      'ids:leftOperand': { '@id': 'https://w3id.org/idsa/code/COUNT' },
      'ids:operator': { '@id': 'https://w3id.org/idsa/code/LTEQ' },
      'ids:rightOperand': { '@value': '5', '@type': 'http://www.w3.org/2001/XMLSchema#double' },
    };
    assert.deepEqual(matchRequest(offer, request({ 'ids:constraint': [expanded] })), []);
  });

  it('accepts a narrowing: an extra constraint', () => {
    assert.deepEqual(matchRequest(offer, request({ 'ids:constraint': [COUNT5, BEFORE] })), []);
  });

  it('refuses widening: a dropped constraint, another action, another target, an unknown rule, a dropped prohibition', () => {
    assert.match(matchRequest(offer, request({ 'ids:constraint': [] })).join(), /drops 1 offered constraint/);
    assert.match(
      matchRequest(
        offer,
        request({ 'ids:constraint': [{ ...COUNT5, 'ids:rightOperand': { '@value': '50', '@type': 'xsd:double' } }] }),
      ).join(),
      /drops 1 offered constraint/,
    );
    assert.match(matchRequest(offer, request({ 'ids:action': [USE, { '@id': 'idsc:DISTRIBUTE' }] })).join(), /DISTRIBUTE is not offered/);
    assert.match(matchRequest(offer, request({ 'ids:target': { '@id': 'urn:a:2' } })).join(), /ids:target urn:a:2 differs/);
    assert.match(matchRequest(offer, request({ '@id': 'urn:p:9' })).join(), /urn:p:9 is not a permission of the offer/);
    assert.match(matchRequest(offer, request({}, [])).join(), /offered ids:prohibition urn:x:1 must be kept/);
  });

  it('refuses a request without rules', () => {
    assert.match(matchRequest(offer, { '@type': 'ids:ContractRequest' }).join(), /names no rule/);
  });
});

describe('matchRequest, a consumer checking the agreement it got against its request', () => {
  const asAgreement = (rules: JsonLd): JsonLd => ({ '@type': 'ids:ContractAgreement', ...rules });
  it('accepts the request itself, also with rules the provider re-identified', () => {
    const ask = request({});
    assert.deepEqual(
      matchRequest(ask, asAgreement({ 'ids:permission': ask['ids:permission']!, 'ids:prohibition': ask['ids:prohibition']! }), {
        matchBy: 'id-or-content',
      }),
      [],
    );
    const renamed = {
      'ids:permission': [{ ...permission, '@id': 'urn:p:new' }],
      'ids:prohibition': [{ '@id': 'urn:x:new', 'ids:action': [{ '@id': 'idsc:DISTRIBUTE' }] }],
    };
    assert.deepEqual(matchRequest(ask, asAgreement(renamed), { matchBy: 'id-or-content' }), []);
    assert.notDeepEqual(matchRequest(ask, asAgreement(renamed)), [], 'negotiation itself still matches by @id');
  });

  it('refuses an agreement that widens the request or swaps its target', () => {
    const ask = request({});
    assert.match(
      matchRequest(
        ask,
        asAgreement({ 'ids:permission': [{ ...permission, 'ids:constraint': [] }], 'ids:prohibition': ask['ids:prohibition']! }),
        { matchBy: 'id-or-content' },
      ).join(),
      /drops 1 offered constraint/,
    );
    assert.match(
      matchRequest(
        ask,
        asAgreement({
          'ids:permission': [{ ...permission, '@id': 'urn:p:z', 'ids:target': { '@id': 'urn:a:9' } }],
          'ids:prohibition': ask['ids:prohibition']!,
        }),
        { matchBy: 'id-or-content' },
      ).join(),
      /not a permission of the offer/,
    );
  });
});
