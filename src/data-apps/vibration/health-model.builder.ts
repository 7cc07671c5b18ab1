/**
 * The default health model as one ONNX graph (ONNX IR 8, opset 13), so the node needs no model hub and no Python.
 * Its parameters are inputs, not initializers: each asset's own (learned from its healthy baseline, see
 * pca.analytics.ts), so one session per worker thread serves every asset (a session costs about 0.25 MB; a node
 * with a thousand channels would otherwise hold a thousand).
 *
 *   features [N, F], mean [F], std [F], W [F, k], Wt [k, F], threshold [1], alpha [1]
 *   -> Sub(mean) -> Div(std) = z -> MatMul(W) -> MatMul(Wt) -> Sub from z -> Mul by itself -> ReduceMean(axis 1)
 *   = score [N, 1] -> Div(threshold) -> Pow(alpha) -> Add(1) -> Reciprocal = health [N, 1] in (0, 1]
 * (pca.analytics.ts healthIndex: a log-logistic in the residual, alpha its exponent)
 *
 * A user's model file replaces it if it takes `features` [N, F] (HEALTH_FEATURES order) and gives `health`. Pure:
 * returns the model's bytes.
 */
import onnxPackage, { type onnx as Onnx } from 'onnx-proto';

const { onnx } = onnxPackage;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

function input(name: string, dims: (number | string)[]): Onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  };
}

function node(op: string, inputs: string[], output: string, attribute: Onnx.IAttributeProto[] = []): Onnx.INodeProto {
  return { opType: op, input: inputs, output: [output], name: output, attribute };
}

export function buildHealthGraph(features: number, components: number): Uint8Array {
  const f = features;
  const k = components;
  const one = Buffer.alloc(4);
  one.writeFloatLE(1, 0);
  const graph: Onnx.IGraphProto = {
    name: 'fep-health-pca',
    input: [input('features', ['N', f]), input('mean', [f]), input('std', [f]), input('W', [f, k]), input('Wt', [k, f]), input('threshold', [1]), input('alpha', [1])],
    output: [input('score', ['N', 1]), input('health', ['N', 1])],
    initializer: [{ name: 'one', dims: [1], dataType: FLOAT, rawData: one }],
    node: [
      node('Sub', ['features', 'mean'], 'centred'),
      node('Div', ['centred', 'std'], 'z'),
      node('MatMul', ['z', 'W'], 'scores'),
      node('MatMul', ['scores', 'Wt'], 'back'),
      node('Sub', ['z', 'back'], 'residual'),
      node('Mul', ['residual', 'residual'], 'squared'),
      node('ReduceMean', ['squared'], 'score', [
        { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1] },
        { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
      ]),
      node('Div', ['score', 'threshold'], 'ratio'),
      node('Pow', ['ratio', 'alpha'], 'powered'),
      node('Add', ['powered', 'one'], 'odds'),
      node('Reciprocal', ['odds'], 'health'),
    ],
  };
  const proto = onnx.ModelProto.create({ irVersion: 8, producerName: 'fep-connector', opsetImport: [{ domain: '', version: 13 }], graph });
  return onnx.ModelProto.encode(proto).finish();
}
