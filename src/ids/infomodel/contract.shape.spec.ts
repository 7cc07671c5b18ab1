import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { needsVectors, vector, VECTORS_PRESENT } from '../../../test/support/vectors.js';
import { normalizeContract } from './contract.normalizer.js';
import { checkContractShape } from './contract.shape.js';

const policies = VECTORS_PRESENT ? vector('true-connector', 'policies') : undefined;
const USE = { '@id': 'https://w3id.org/idsa/code/USE' };

describe('checkContractShape', () => {
  if (policies === undefined) it("accepts TRUE Connector's policy examples", needsVectors("TRUE's policy examples"), () => undefined);
  for (const file of policies === undefined ? [] : readdirSync(policies)) {
    it(`accepts TRUE Connector's ${file}`, () => {
      assert.deepEqual(checkContractShape(JSON.parse(readFileSync(join(policies!, file), 'utf8'))), []);
    });
  }

  it('accepts un-prefixed keys and single values', () => {
    assert.deepEqual(checkContractShape({ '@type': 'ContractOffer', permission: { action: USE } }), []);
  });

  it('names every problem with its JSON path', () => {
    const problems = checkContractShape({
      '@type': 'ids:ContractOffer',
      'ids:permission': [{ 'ids:constraint': [{ 'ids:operator': { '@id': 'idsc:LTEQ' } }] }, 'x'],
      'ids:prohibition': [{ '@type': 'ids:Permission', 'ids:action': ['not a ref', 5] }],
    });
    assert.deepEqual(problems, [
      '$["ids:permission"][0]["ids:action"]: at least one action is required',
      '$["ids:permission"][0]["ids:constraint"][0]["ids:leftOperand"]: required, a reference like {"@id": "https://w3id.org/idsa/code/COUNT"}',
      '$["ids:permission"][0]["ids:constraint"][0]: needs ids:rightOperand or ids:rightOperandReference',
      '$["ids:permission"][1]: must be an object',
      '$["ids:prohibition"][0].@type: expected ids:Prohibition, got ids:Permission',
      '$["ids:prohibition"][0]["ids:action"][1]: must be an action reference like {"@id": "https://w3id.org/idsa/code/USE"}',
    ]);
  });

  it('refuses a contract without rules, and non-objects', () => {
    assert.match(checkContractShape({ '@type': 'ids:ContractOffer' })[0], /at least one ids:permission/);
    assert.deepEqual(checkContractShape([]), ['$: must be a JSON-LD object']);
    assert.match(checkContractShape({ '@type': 'ids:Artifact', 'ids:permission': [{ 'ids:action': [USE] }] })[0], /not a contract type/);
  });

  it('checks duties too', () => {
    const problems = checkContractShape({ 'ids:permission': [{ 'ids:action': [USE], 'ids:postDuty': [{ '@type': 'ids:Duty' }] }] });
    assert.deepEqual(problems, ['$["ids:permission"][0]["ids:postDuty"][0]["ids:action"]: at least one action is required']);
  });
});

describe('normalizeContract', () => {
  it('gives the contract, its rules and duties an @id and @type, keeping given ones', () => {
    let n = 0;
    const out = normalizeContract(
      {
        'ids:permission': [
          { 'ids:action': [USE], 'ids:postDuty': [{ 'ids:action': [USE] }] },
          { '@id': 'urn:keep', 'ids:action': [USE] },
        ],
      },
      'ids:ContractOffer',
      (kind) => `urn:${kind}:${++n}`,
    );
    assert.equal(out['@id'], 'urn:contractOffer:1');
    const [first, second] = out['ids:permission'] as Record<string, any>[];
    assert.equal(first['@id'], 'urn:permission:2');
    assert.equal(first['@type'], 'ids:Permission');
    assert.equal(first['ids:postDuty'][0]['@id'], 'urn:duty:3');
    assert.equal(second['@id'], 'urn:keep');
  });
});
