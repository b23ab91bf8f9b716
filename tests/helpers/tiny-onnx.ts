/**
 * Tiny ONNX graphs with the real models' input/output names, dtypes and shapes (see
 * ../shared/models/README.md). They exercise loading, batching, threading and pre/post-processing
 * of the semantic layer. Their embeddings are deterministic arithmetic, NOT CLIP or BGE: nothing
 * measured with them says anything about embedding quality.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const F = onnx.TensorProto.DataType.FLOAT;
const I64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

type Dim = number | string;
const vi = (name: string, elemType: number, dims: Dim[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});
const weights = (name: string, dims: number[], seed: number) => {
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dataType: F, dims, floatData: Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233)) };
};
const i64 = (name: string, values: number[]) => ({ name, dataType: I64, dims: [values.length], int64Data: values });

function model(nodes: object[], inputs: object[], outputs: object[], initializer: object[]): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'originals-tests (tiny plumbing graph, not a real model)',
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'tiny', node: nodes, input: inputs, output: outputs, initializer },
    }),
  ).finish();
}

/** CLIP vision: pixel_values float32 [b,3,224,224] → image_embeds [b,512]. */
export function tinyClipVision(): Uint8Array {
  return model(
    [
      {
        opType: 'ReduceMean',
        input: ['pixel_values'],
        output: ['pooled'],
        attribute: [
          { name: 'axes', type: A.INTS, ints: [3] },
          { name: 'keepdims', type: A.INT, i: 0 },
        ],
      },
      { opType: 'Reshape', input: ['pooled', 'flat_shape'], output: ['flat'] },
      { opType: 'MatMul', input: ['flat', 'w'], output: ['image_embeds'] },
    ],
    [vi('pixel_values', F, ['batch', 3, 224, 224])],
    [vi('image_embeds', F, ['batch', 512])],
    [weights('w', [3 * 224, 512], 1), i64('flat_shape', [-1, 3 * 224])],
  );
}

/** CLIP text: input_ids int64 [b,77] → text_embeds [b,512]. */
export function tinyClipText(): Uint8Array {
  return model(
    [
      { opType: 'Cast', input: ['input_ids'], output: ['ids_f'], attribute: [{ name: 'to', type: A.INT, i: F }] },
      { opType: 'Sin', input: ['ids_f'], output: ['ids_s'] },
      { opType: 'MatMul', input: ['ids_s', 'w'], output: ['text_embeds'] },
    ],
    [vi('input_ids', I64, ['batch', 77])],
    [vi('text_embeds', F, ['batch', 512])],
    [weights('w', [77, 512], 2)],
  );
}

/** BGE: input_ids, attention_mask, token_type_ids int64 [b,n] → last_hidden_state [b,n,384]. */
export function tinyBge(): Uint8Array {
  const cast = (i: string, o: string) => ({ opType: 'Cast', input: [i], output: [o], attribute: [{ name: 'to', type: A.INT, i: F }] });
  return model(
    [
      cast('input_ids', 'ids'),
      cast('attention_mask', 'mask'),
      cast('token_type_ids', 'types'),
      { opType: 'Sin', input: ['ids'], output: ['ids_s'] },
      { opType: 'Mul', input: ['ids_s', 'mask'], output: ['masked'] },
      { opType: 'Add', input: ['masked', 'types'], output: ['tok'] },
      { opType: 'Unsqueeze', input: ['tok', 'axis2'], output: ['tok3'] },
      { opType: 'MatMul', input: ['tok3', 'w_tok'], output: ['local'] },
      {
        opType: 'ReduceMean',
        input: ['local'],
        output: ['ctx'],
        attribute: [
          { name: 'axes', type: A.INTS, ints: [1] },
          { name: 'keepdims', type: A.INT, i: 1 },
        ],
      },
      { opType: 'MatMul', input: ['ctx', 'w_ctx'], output: ['ctx2'] },
      { opType: 'Add', input: ['local', 'ctx2'], output: ['last_hidden_state'] },
    ],
    [vi('input_ids', I64, ['batch', 'seq']), vi('attention_mask', I64, ['batch', 'seq']), vi('token_type_ids', I64, ['batch', 'seq'])],
    [vi('last_hidden_state', F, ['batch', 'seq', 384])],
    [weights('w_tok', [1, 384], 3), weights('w_ctx', [384, 384], 4), i64('axis2', [2])],
  );
}

/**
 * Writes a models folder laid out like the manifest: the tiny graphs under the real file names,
 * plus the real tokenizer/config files copied from `sharedModels` (../shared/models).
 */
export function writeTinyModels(dir: string): { clipVision: string; clipText: string; bge: string } {
  const files = {
    clipVision: join(dir, 'Xenova/clip-vit-base-patch32/onnx/vision_model.onnx'),
    clipText: join(dir, 'Xenova/clip-vit-base-patch32/onnx/text_model.onnx'),
    bge: join(dir, 'Xenova/bge-small-en-v1.5/onnx/model_quantized.onnx'),
  };
  for (const [k, bytes] of [
    ['clipVision', tinyClipVision()],
    ['clipText', tinyClipText()],
    ['bge', tinyBge()],
  ] as const) {
    mkdirSync(dirname(files[k]), { recursive: true });
    writeFileSync(files[k], bytes);
  }
  return files;
}
