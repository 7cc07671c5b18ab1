import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import onnxPackage from 'onnx-proto';
import { runHealth } from './analysis.worker.js';
import { buildHealthGraph } from './health-model.builder.js';
import { simulatorConfig, VibrationApp } from './vibration.app.js';
import { parseVibrationConfig } from './vibration-config.parser.js';

const { onnx } = onnxPackage;

/** A user's model: health = 0.42 whatever the features (ReduceMean -> x 0 -> + 0.42). */
function constantModel(): Uint8Array {
  const scalar = (name: string, v: number): Record<string, unknown> => {
    const raw = Buffer.alloc(4);
    raw.writeFloatLE(v, 0);
    return { name, dims: [1], dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
  };
  const io = (name: string, width: number): Record<string, unknown> => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'constant',
      input: [io('features', 8)],
      output: [io('health', 1)],
      initializer: [scalar('zero', 0), scalar('level', 0.42)],
      node: [
        { opType: 'ReduceMean', input: ['features'], output: ['m'], attribute: [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] }] },
        { opType: 'Mul', input: ['m', 'zero'], output: ['z'] },
        { opType: 'Add', input: ['z', 'level'], output: ['health'] },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

describe('the vibration app’s health model setting', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fep-model-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const app = new VibrationApp();
  const withModel = (path: string | null): ReturnType<typeof parseVibrationConfig> => parseVibrationConfig({ ...simulatorConfig(1502), health: { model: path } });

  it('takes a user’s model file that maps the features to a health index, and runs it', async () => {
    const file = join(dir, 'constant.onnx');
    writeFileSync(file, constantModel());
    const parsed = withModel(file);
    assert.ok(parsed.ok);
    assert.deepEqual(await app.verifyConfig(parsed.config), []);
    assert.ok(Math.abs((await runHealth({ kind: 'file', path: file }, [1, 2, 3, 4, 5, 6, 7, 8])) - 0.42) < 1e-6);
  });

  it('refuses a missing file and a model that does not take the features alone, naming health.model', async () => {
    const missing = withModel(join(dir, 'nope.onnx'));
    assert.ok(missing.ok);
    assert.deepEqual(await app.verifyConfig(missing.config), [{ field: 'health.model', reason: `cannot read ${join(dir, 'nope.onnx')}` }]);
    const file = join(dir, 'parametric.onnx');
    writeFileSync(file, buildHealthGraph(8, 2)); // needs its parameters as inputs too
    const wrong = withModel(file);
    assert.ok(wrong.ok);
    const problems = await app.verifyConfig(wrong.config);
    assert.equal(problems[0]?.field, 'health.model');
    assert.match(problems[0].reason, /must take features/);
  });
});
