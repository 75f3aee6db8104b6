/**
 * ONNX import against PyTorch: small models committed under test/fixtures/onnx (a CNN of
 * layout-sensitive ops, a Keras-mappable convnet, an op zoo, a view on a free batch, a
 * TransformerEncoder at opsets 17 and 13)
 * load and predict within 1e-4 of PyTorch (relative to the output's scale), keep the graph's
 * NCHW layout at the boundary with one transpose inside, save where their ops map to Keras.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { OnnxOp } from '../../src/onnx/import/op-layer.js';
import { COMMITTED, readRecord, scaledError } from './helpers/torch-fixtures.js';

const scratch = mkdtempSync(join(tmpdir(), 'capa-onnx-import-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function loadAndCompare(name: string) {
  const model = await capa.onnx.loadModel(join(COMMITTED, `${name}.onnx`));
  const record = readRecord(COMMITTED, name);
  const input = record.inputs[0] as TorchRecord['inputs'][number];
  const output = record.outputs[0] as TorchRecord['outputs'][number];
  const y = await model.predict(capa.tensor(input.data, input.shape), { verbose: 0 });
  expect(y.shape).toEqual(output.shape);
  return { model, error: scaledError(y.dataSync(), output.data) };
}

type TorchRecord = ReturnType<typeof readRecord>;

const layoutLayers = (model: capa.Model) =>
  model.layers.filter((l) => l.className === 'Permute' || (l instanceof OnnxOp && l.opType === 'Transpose'));

describe('ONNX import of small PyTorch models', () => {
  for (const name of ['tiny_cnn', 'small_convnet', 'view_batch', 'transformer_op17', 'transformer_op13']) {
    it(`${name} predicts within 1e-4 of PyTorch`, async () => {
      const { error } = await loadAndCompare(name);
      expect(error).toBeLessThan(1e-4);
    });
  }

  it('op_zoo: 24 outputs exercising layout-sensitive and less common ops each match PyTorch', async () => {
    const model = await capa.onnx.loadModel(join(COMMITTED, 'op_zoo.onnx'));
    const record = readRecord(COMMITTED, 'op_zoo');
    const input = record.inputs[0] as TorchRecord['inputs'][number];
    const ys = model.applyMulti(capa.tensor(input.data, input.shape));
    expect(ys.length).toBe(record.outputs.length);
    record.outputs.forEach((expected, i) => {
      const y = ys[i] as capa.Tensor;
      expect(y.shape, expected.name).toEqual(expected.shape);
      expect(scaledError(y.dataSync(), expected.data), expected.name).toBeLessThan(1e-5);
    });
    // NCHW outputs come back NCHW: the first is the convolution's own output.
    expect(model.outputs[0]?.shape).toEqual([2, 4, 8, 8]);
  });

  it('keeps NCHW at the boundary and converts the layout once inside', async () => {
    const { model } = await loadAndCompare('tiny_cnn');
    expect(model.inputs[0]?.shape).toEqual([null, 3, 16, 16]);
    expect(model.outputs[0]?.shape).toEqual([null, 10]);
    // Channel split/concat/softmax/mean, pads, resize and slices all run on the NHWC map: one transpose, at the input.
    expect(layoutLayers(model).map((l) => l.className)).toEqual(['Permute']);
    const summary = model.summary({ printFn: () => {} });
    expect(summary).toMatch(/Split \(OnnxOp\(Split\)\)/);
    expect(summary).toMatch(/dw\.Conv \(DepthwiseConv2D\)/);
    const conv = model.layers.find((l) => l.className === 'Conv2D');
    expect(conv?.weights[0]?.shape).toEqual([3, 3, 3, 8]);
  });

  it('loads from bytes; a convnet of Keras-mappable ops becomes Keras layers only', async () => {
    const bytes = (await import('node:fs')).readFileSync(join(COMMITTED, 'small_convnet.onnx'));
    const model = await capa.onnx.loadModelFromBytes(bytes);
    expect(model.layers.filter((l) => l instanceof OnnxOp)).toEqual([]);
  });

  it('folds x.view(x.size(0), -1) on a free batch into a Flatten the Dense absorbs', async () => {
    const { model } = await loadAndCompare('view_batch');
    expect(model.inputs[0]?.shape).toEqual([null, 3, 8, 8]);
    expect(model.layers.map((l) => l.className)).toEqual(['InputLayer', 'Permute', 'Conv2D', 'ReLU', 'Flatten', 'Dense']);
  });

  it('saves a model whose ops map to Keras layers to .keras, and it reloads with the same predictions', async () => {
    const { model } = await loadAndCompare('small_convnet');
    expect(model.layers.map((l) => l.className)).toContain('BatchNormalization');
    const path = join(scratch, 'small_convnet.keras');
    await model.save(path);
    const back = await capa.models.loadModel(path);
    const x = capa.randomNormal([3, 3, 16, 16], { seed: 4 });
    const a = (await model.predict(x, { verbose: 0 })).dataSync();
    const b = (await back.predict(x, { verbose: 0 })).dataSync();
    expect(scaledError(b, Array.from(a))).toBe(0);
  });

  it('refuses to save a model with an op that has no Keras layer, naming the op and node', async () => {
    const { model } = await loadAndCompare('tiny_cnn');
    await expect(model.save(join(scratch, 'tiny.keras'))).rejects.toThrow(
      /ONNX op 'Split' \(node '\/Split'\), which has no Keras layer/,
    );
  });

  it('fine-tunes a transformer whose attention runs in OnnxOp layers (gradients reach every weight)', async () => {
    const model = await capa.onnx.loadModel(join(COMMITTED, 'transformer_op17.onnx'), { trainable: true });
    const record = readRecord(COMMITTED, 'transformer_op17');
    const input = record.inputs[0] as TorchRecord['inputs'][number];
    const x = capa.tensor(input.data, input.shape);
    const y = capa.randomNormal(input.shape, { seed: 2 });
    const before = model.trainableWeights.map((v) => v.dataSync().slice());
    // LayerNormalization maps to the Keras layer; attention's reshapes, transposes and bias adds are OnnxOps.
    expect(model.layers.filter((l) => l.className === 'LayerNormalization').length).toBe(5);
    expect(model.layers.some((l) => l instanceof OnnxOp && l.opType === 'Add')).toBe(true);
    model.compile({ optimizer: new capa.optimizers.Adam({ learningRate: 1e-2 }), loss: 'mse' });
    const history = await model.fit(x, y, { epochs: 4, batchSize: 2, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[3] as number).toBeLessThan((losses[0] as number) * 0.9);
    // Every imported weight moved: the OnnxOp bias constants and the Keras layers' kernels alike.
    model.trainableWeights.forEach((v, i) => {
      expect(Array.from(v.dataSync()), v.name).not.toEqual(Array.from(before[i] ?? []));
    });
  });

  it('is frozen by default and trainable when asked; constants from Constant nodes stay fixed', async () => {
    const path = join(COMMITTED, 'transformer_op13.onnx');
    const frozen = await capa.onnx.loadModel(path);
    expect(frozen.trainableWeights.length).toBe(0);
    const model = await capa.onnx.loadModel(path, { trainable: true });
    const trainable = model.trainableWeights.reduce((n, v) => n + v.size, 0);
    // 2 layers x (in_proj 3*32*32+96, out_proj 32*32+32, ff 32*64+64 + 64*32+32, 2 norms 2*64) + final norm 64.
    expect(trainable).toBe(2 * (3 * 32 * 32 + 96 + 32 * 32 + 32 + 32 * 64 + 64 + 64 * 32 + 32 + 2 * 64) + 64);
    expect(model.nonTrainableWeights.length).toBeGreaterThan(0);
  });
});
