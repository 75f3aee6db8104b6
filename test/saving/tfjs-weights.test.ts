import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { float16BitsToFloat32, float32ToFloat16Bits } from '../../src/saving/tfjs/float16.js';
import { shardReaderFromBytes } from '../../src/saving/tfjs/shards.js';
import { decodeWeightsManifest, encodeWeights, type NamedWeight } from '../../src/saving/tfjs/weights-codec.js';

function concatShards(shards: { bytes: Uint8Array }[]): ArrayBuffer {
  const total = shards.reduce((n, s) => n + s.bytes.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const s of shards) {
    out.set(s.bytes, at);
    at += s.bytes.length;
  }
  return out.buffer;
}

const weights: NamedWeight[] = [
  { name: 'dense/kernel', shape: [3, 4], data: Float32Array.from({ length: 12 }, (_, i) => Math.sin(i) * 3) },
  { name: 'dense/bias', shape: [4], data: Float32Array.of(0, -0.5, 0.25, 1e-3) },
  { name: 'embedding/ids', shape: [2], data: Int32Array.of(-7, 123456) },
];

describe('TensorFlow.js weight shards', () => {
  it('decodes what tfjs-core encodes (float32, int32, bool)', async () => {
    await tf.setBackend('cpu');
    const tensors = {
      k: tf.tensor2d([
        [1.5, -2],
        [3, 4],
      ]),
      i: tf.tensor1d([5, -6], 'int32'),
      b: tf.tensor1d([true, false, true], 'bool'),
    };
    const { data, specs } = await tf.io.encodeWeights(tensors);
    const decoded = await decodeWeightsManifest(
      [{ paths: ['weights.bin'], weights: specs }],
      shardReaderFromBytes(() => new Uint8Array(data as ArrayBuffer)),
      'model.json',
    );
    expect(decoded.map((w) => [w.name, w.shape, Array.from(w.data)])).toEqual([
      ['k', [2, 2], [1.5, -2, 3, 4]],
      ['i', [2], [5, -6]],
      ['b', [3], [1, 0, 1]],
    ]);
  });

  it.each([null, 'uint8', 'uint16', 'float16'] as const)(
    'encodes %s weights that tfjs-core decodes to the same values',
    async (quantization) => {
      await tf.setBackend('cpu');
      const encoded = encodeWeights(weights, { quantization, shardBytes: 10 });
      expect(encoded.shards.length).toBeGreaterThan(1); // weights span shard boundaries
      expect(encoded.shards[0]!.path).toBe(`group1-shard1of${encoded.shards.length}.bin`);
      const theirs = tf.io.decodeWeights(concatShards(encoded.shards), encoded.group.weights as tf.io.WeightsManifestEntry[]);
      const byPath = new Map(encoded.shards.map((s) => [s.path, s.bytes]));
      const ours = await decodeWeightsManifest(
        [encoded.group],
        shardReaderFromBytes((p) => byPath.get(p)!),
        'model.json',
      );
      for (const w of ours) {
        const reference = theirs[w.name]!;
        expect(w.shape).toEqual(reference.shape);
        expect(Array.from(w.data)).toEqual(Array.from(reference.dataSync()));
        const original = weights.find((o) => o.name === w.name)!;
        const tolerance =
          quantization === 'uint8' ? 0.05 : quantization === 'uint16' ? 2e-4 : quantization === 'float16' ? 3e-3 : 0;
        w.data.forEach((v, i) => {
          expect(Math.abs(v - original.data[i]!)).toBeLessThanOrEqual(tolerance);
        });
      }
    },
  );

  it('keeps zero exact under uint8 quantization', async () => {
    const encoded = encodeWeights([{ name: 'b', shape: [3], data: Float32Array.of(-1, 0, 2.5) }], { quantization: 'uint8' });
    const [b] = await decodeWeightsManifest(
      [encoded.group],
      shardReaderFromBytes(() => encoded.shards[0]!.bytes),
      'model.json',
    );
    expect(b!.data[1]).toBe(0);
  });

  it('float16 conversion rounds to nearest even and keeps specials', () => {
    for (const v of [0, -0, 1, -2.5, 65504, 6.103515625e-5, 2 ** -24, 0.1]) {
      const back = float16BitsToFloat32(float32ToFloat16Bits(v));
      expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -11);
    }
    expect(float16BitsToFloat32(float32ToFloat16Bits(1e6))).toBe(Number.POSITIVE_INFINITY);
    expect(float16BitsToFloat32(float32ToFloat16Bits(Number.NaN))).toBeNaN();
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
  });

  it('names the weight and shards when a shard is truncated or the sizes disagree', async () => {
    const encoded = encodeWeights(weights);
    const bytes = encoded.shards[0]!.bytes;
    await expect(
      decodeWeightsManifest(
        [encoded.group],
        shardReaderFromBytes(() => bytes.subarray(0, 20)),
        'm/model.json',
      ),
    ).rejects.toThrow(/m\/model\.json: weight 'dense\/kernel' needs bytes 0\.\.48 .*hold 20 bytes; a shard is truncated/);
    const longer = new Uint8Array(bytes.length + 4);
    longer.set(bytes);
    await expect(
      decodeWeightsManifest(
        [encoded.group],
        shardReaderFromBytes(() => longer),
        'model.json',
      ),
    ).rejects.toThrow(/do not match/);
    await expect(
      decodeWeightsManifest(
        {},
        shardReaderFromBytes(() => bytes),
        'model.json',
      ),
    ).rejects.toThrow(/'weightsManifest' should be a list/);
    const unknown = [{ paths: ['a'], weights: [{ name: 'x', shape: [1], dtype: 'float32', quantization: { dtype: 'int4' } }] }];
    await expect(
      decodeWeightsManifest(
        unknown,
        shardReaderFromBytes(() => bytes),
        'model.json',
      ),
    ).rejects.toThrow(/unknown quantization dtype 'int4'/);
  });
});
