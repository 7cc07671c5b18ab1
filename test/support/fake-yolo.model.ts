import onnxPackage from 'onnx-proto';

const { onnx } = onnxPackage;

/**
 * A YOLOv8-shaped ONNX model with known answers: input `images` [1, 3, S, S], output `output0` [1, 84, anchors] that
 * holds the given person boxes (cx, cy, w, h in input pixels, score) whatever the image. Built at test time (a few
 * MB, never committed): ReduceMean(images) x 0 + the constant output.
 */
export function fakeYoloModel(boxes: [number, number, number, number, number][], size = 640, anchors = 8400): Uint8Array {
  const out = new Float32Array(84 * anchors);
  boxes.forEach(([cx, cy, w, h, score], a) => {
    out[a] = cx;
    out[anchors + a] = cy;
    out[2 * anchors + a] = w;
    out[3 * anchors + a] = h;
    out[4 * anchors + a] = score;
  });
  const f = onnx.TensorProto.DataType.FLOAT;
  const tensor = (name: string, dims: number[], data: Float32Array): Record<string, unknown> => ({
    name,
    dims,
    dataType: f,
    rawData: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
  });
  const info = (name: string, dims: number[]): Record<string, unknown> => ({
    name,
    type: { tensorType: { elemType: f, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'fake-yolo',
      input: [info('images', [1, 3, size, size])],
      output: [info('output0', [1, 84, anchors])],
      initializer: [tensor('zero', [1], Float32Array.of(0)), tensor('constant', [1, 84, anchors], out)],
      node: [
        {
          opType: 'ReduceMean',
          input: ['images'],
          output: ['m'],
          attribute: [
            { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: [1, 2, 3] },
            { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
          ],
        },
        { opType: 'Mul', input: ['m', 'zero'], output: ['z'] },
        { opType: 'Add', input: ['z', 'constant'], output: ['output0'] },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
