import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonValue } from '../../common/json.js';
import { nodeName } from './ngsi-ld.channel.js';
import { entitiesOf, type NgsiEntity, type OutputValue } from './ngsi-ld.mapper.js';

type Json = Record<string, any>;

/**
 * Facts of the Smart Data Models schemas the entities claim, as published (smart-data-models on GitHub):
 * dataModel.Transportation CrowdFlowObserved/schema.json, dataModel.S4BLDG Pump/schema.json, dataModel.Alert
 * Alert/schema.json with alert-schema.json (Common-Alert) and Alert/model.yaml (its subCategory groups).
 */
const SCHEMAS: Record<string, { required: string[]; check: (e: Json) => void }> = {
  CrowdFlowObserved: {
    required: ['id', 'type', 'dateObserved'],
    check: (e) => {
      assert.ok(Number.isInteger(e.peopleCount.value) && e.peopleCount.value >= 0, 'peopleCount: integer, minimum 0');
      if (e.occupancy !== undefined) assert.ok(e.occupancy.value >= 0 && e.occupancy.value <= 1);
    },
  },
  Pump: { required: ['id', 'type'], check: () => undefined },
  Alert: {
    required: ['id', 'type'],
    check: (e) => {
      assert.ok(['informational', 'low', 'medium', 'high', 'critical'].includes(e.severity.value), `severity ${e.severity.value}`);
      const categories = ['traffic', 'naturalDisaster', 'weather', 'environment', 'health', 'security', 'agriculture'];
      if (e.category !== undefined) {
        assert.ok(categories.includes(e.category.value), `category ${e.category.value} is not in the model's enumeration`);
      }
      assert.equal(e.subCategory, undefined, 'no subCategory: none of the model’s fits a machine');
      assert.equal(typeof e.description.value, 'string');
      assert.match(e.alertSource.value, /^urn:/, 'alertSource: a URI');
      assert.equal(typeof e.data.value, 'object', 'data: an object');
    },
  },
};

const DATE_ATTRIBUTES = ['dateObserved', 'dateIssued', 'predictedThresholdTime'];

function checkEntity(e: NgsiEntity): void {
  const entity = e as Json;
  const schema = SCHEMAS[entity.type];
  assert.ok(schema !== undefined, `an entity of type ${entity.type}`);
  for (const name of schema.required) assert.ok(entity[name] !== undefined, `${entity.type} requires ${name}`);
  schema.check(entity);
  assert.match(entity.id, new RegExp(`^urn:ngsi-ld:${entity.type}:[^/]+$`));
  assert.doesNotMatch(entity.id, /%2F/i, 'no percent-encoded slash in an id');
  assert.doesNotMatch(JSON.stringify(entity), /null/, 'no null anywhere');
  for (const name of DATE_ATTRIBUTES) {
    if (entity[name] === undefined) continue;
    assert.equal(entity[name].value['@type'], 'DateTime', `${name} is a typed DateTime`);
    assert.ok(!Number.isNaN(Date.parse(entity[name].value['@value'])), `${name}: an ISO 8601 time`);
  }
  for (const [name, attribute] of Object.entries(entity)) {
    if (name === 'id' || name === 'type') continue;
    assert.ok(['Property', 'Relationship'].includes((attribute as Json).type), `${name}: a Property or a Relationship`);
  }
}

const at = '2026-12-01T10:00:00.000Z';
const value = (app: string, output: string, key: string, v: JsonValue): OutputValue => ({ app, output, key, at, value: v });

describe('NGSI-LD entities against the Smart Data Models they claim (#26.10)', () => {
  const node = nodeName('https://plant-7.example:8443/fep/edge');

  it('the node name has no slash: host and path segments joined by colons', () => {
    assert.equal(node, 'plant-7.example:8443:fep:edge');
    assert.equal(nodeName('urn:fep:node/1'), 'urn:fep:node:1');
  });

  it('an occupancy count is a CrowdFlowObserved with a typed dateObserved', () => {
    const [e] = entitiesOf(node, value('occupancy', 'occupancy', 'lobby', { camera: 'cam-1', zone: 'lobby', count: 7, at }));
    checkEntity(e);
    assert.equal(e.id, 'urn:ngsi-ld:CrowdFlowObserved:plant-7.example:8443:fep:edge:cam-1:lobby');
    assert.deepEqual((e['dateObserved'] as Json).value, { '@type': 'DateTime', '@value': at });
  });

  it('a pump condition with a prediction is a Pump; before its first judgement it has no zone', () => {
    const condition = {
      asset: 'pump-1',
      title: 'Pump 1',
      at,
      zone: 'B',
      channels: {
        'drive-end': {
          vRms: 2.1,
          health: 0.83,
          prediction: { boundary: 'C', at: '2026-12-01T14:00:00.000Z', inHours: 4, confidence: 0.9 },
          indicators: { kurtosis: 3 },
        },
      },
    };
    const [e] = entitiesOf(node, value('vibration', 'condition', 'pump-1', condition));
    checkEntity(e);
    assert.equal((e['predictedThresholdTime'] as Json).value['@value'], '2026-12-01T14:00:00.000Z');
    const [early] = entitiesOf(node, value('vibration', 'condition', 'pump-1', { ...condition, zone: null, channels: {} }));
    checkEntity(early);
    assert.equal(early['vibrationZone'], undefined);
  });

  it('every kind of maintenance event is an Alert the model admits, its kind and evidence under data', () => {
    for (const kind of ['zone-change', 'bearing-fault', 'baseline-deviation', 'predicted-threshold', 'health-degraded', 'baseline-reset']) {
      for (const severity of ['info', 'warning', 'alarm', 'critical']) {
        const [e] = entitiesOf(
          node,
          value('vibration', 'events', 'pump-1', {
            id: 'urn:uuid:0b7e4f6a-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
            asset: 'pump-1',
            kind,
            severity,
            at,
            message: 'm',
            channels: ['drive-end'],
            evidence: { to: 'C' },
          }),
        );
        checkEntity(e);
        assert.deepEqual((e['data'] as Json).value, { kind, channels: ['drive-end'], evidence: { to: 'C' } });
      }
    }
  });
});
