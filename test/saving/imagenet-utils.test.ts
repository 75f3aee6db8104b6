import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMAGENET_CLASS_INDEX } from '../../src/applications/imagenet-class-index.generated.js';
import { mobilenetV2, resnet50, vgg19 } from '../../src/applications/imagenet-namespaces.js';
import { decodePredictions, preprocessInput } from '../../src/applications/imagenet-utils.js';
import { Tensor } from '../../src/tensor/tensor.js';

const fixtureDir = new URL('../fixtures/saving/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('imagenet-utils.json', fixtureDir), 'utf8')) as {
  images: { shape: number[]; values: number[] };
  preprocessed: Record<'caffe' | 'tf' | 'torch', number[]>;
  preds: { shape: number[]; values: number[] };
  decoded_top3: [string, string, number][][];
};
const images = new Tensor(Float32Array.from(expected.images.values), expected.images.shape);

describe('imagenetUtils', () => {
  it("bundles Keras's class index byte for byte (md5 c2c37ea517e94d9795004a39431a14cb)", () => {
    const raw = readFileSync(new URL('imagenet_class_index.json', fixtureDir));
    expect(createHash('md5').update(raw).digest('hex')).toBe('c2c37ea517e94d9795004a39431a14cb');
    const index = JSON.parse(raw.toString('utf8')) as Record<string, [string, string]>;
    expect(IMAGENET_CLASS_INDEX.length).toBe(1000);
    IMAGENET_CLASS_INDEX.forEach((entry, i) => {
      expect(entry).toEqual(index[String(i)]);
    });
  });

  it.each(['caffe', 'tf', 'torch'] as const)('preprocessInput mode %s matches numpy float32 exactly', (mode) => {
    const out = preprocessInput(images, { mode });
    expect(out.shape).toEqual(expected.images.shape);
    expect(Array.from(out.dataSync())).toEqual(Array.from(Float32Array.from(expected.preprocessed[mode])));
  });

  it('binds each application to its mode and does not modify the input', () => {
    const before = Array.from(images.dataSync());
    expect(Array.from(vgg19.preprocessInput(images).dataSync())).toEqual(
      Array.from(Float32Array.from(expected.preprocessed.caffe)),
    );
    expect(Array.from(resnet50.preprocessInput(images).dataSync())).toEqual(
      Array.from(Float32Array.from(expected.preprocessed.caffe)),
    );
    expect(Array.from(mobilenetV2.preprocessInput(images).dataSync())).toEqual(
      Array.from(Float32Array.from(expected.preprocessed.tf)),
    );
    expect(Array.from(images.dataSync())).toEqual(before);
  });

  it('caffe mode: a pure red pixel becomes BGR minus the mean', () => {
    const red = new Tensor(Float32Array.of(255, 0, 0), [1, 1, 1, 3]);
    const [b, g, r] = Array.from(preprocessInput(red, { mode: 'caffe' }).dataSync());
    expect(b).toBeCloseTo(-103.939, 3);
    expect(g).toBeCloseTo(-116.779, 3);
    expect(r).toBeCloseTo(255 - 123.68, 3);
  });

  it('decodePredictions matches Keras (top classes, best first, with scores)', () => {
    const preds = new Tensor(Float32Array.from(expected.preds.values), expected.preds.shape);
    const decoded = decodePredictions(preds, 3);
    expect(decoded.map((row) => row.map(([w, l]) => [w, l]))).toEqual(
      expected.decoded_top3.map((row) => row.map(([w, l]) => [w, l])),
    );
    decoded.forEach((row, r) => {
      row.forEach(([, , s], k) => {
        expect(s).toBeCloseTo(expected.decoded_top3[r]![k]![2], 6);
      });
    });
    expect(decodePredictions(preds)[0]!.length).toBe(5);
  });

  it('decodePredictions names the expected shape', () => {
    expect(() => decodePredictions(new Tensor(new Float32Array(10), [1, 10]))).toThrow(
      /expects a batch of predictions \(i\.e\. a 2D array of shape \(samples, 1000\)\)\. Received array with shape: \(1, 10\)/,
    );
    const oneHot = Array.from({ length: 1000 }, (_, i) => (i === 207 ? 1 : 0));
    expect(decodePredictions([oneHot], 1)).toEqual([[['n02099601', 'golden_retriever', 1]]]);
  });

  it('preprocessInput refuses images without 3 channels for caffe', () => {
    expect(() => preprocessInput(new Tensor(new Float32Array(4), [1, 2, 2, 1]))).toThrow(/needs 3 color channels/);
  });
});
