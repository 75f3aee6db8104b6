/**
 * PyTorch's own torchvision ResNet50, VGG11 (at 64x64, see the generator) and MobileNetV2,
 * exported by torch.onnx.export: each loads in capa and predicts within 1e-4 of PyTorch
 * (relative to the output's scale), and the loaded ResNet fine-tunes with falling loss. The
 * models are too big to commit: they are generated (and cached) when /usr/bin/python3 has torch.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { OnnxOp } from '../../src/onnx/import/op-layer.js';
import { generatedFixture, hasTorch, readRecord, scaledError } from './helpers/torch-fixtures.js';

const TIMEOUT = 900_000;

async function load(name: string, options: capa.onnx.ImportOptions = {}) {
  const dir = generatedFixture(name);
  const model = await capa.onnx.loadModel(join(dir, `${name}.onnx`), options);
  const record = readRecord(dir, name);
  return { model, record, x: capa.tensor(record.inputs[0]?.data ?? [], record.inputs[0]?.shape) };
}

describe.skipIf(!hasTorch())('ONNX import of torchvision models', () => {
  for (const name of ['resnet50', 'vgg11', 'mobilenet_v2']) {
    it(
      `${name} predicts within 1e-4 of PyTorch, with Keras layers only`,
      async () => {
        const { model, record, x } = await load(name);
        const y = await model.predict(x, { verbose: 0 });
        expect(y.shape).toEqual(record.outputs[0]?.shape);
        const error = scaledError(y.dataSync(), record.outputs[0]?.data ?? []);
        console.log(`${name}: max error relative to the output's scale ${error.toExponential(2)}`);
        expect(error).toBeLessThan(1e-4);
        // Every op maps to a Keras layer (so the model saves to .keras), with one layout transpose at the input.
        expect(model.layers.filter((l) => l instanceof OnnxOp).map((l) => l.name)).toEqual([]);
        expect(model.layers.filter((l) => l.className === 'Permute').length).toBe(1);
      },
      TIMEOUT,
    );
  }

  it(
    'fine-tunes the loaded ResNet50 for a few steps with falling loss',
    async () => {
      const { model } = await load('resnet50', { trainable: true });
      capa.setSeed(3);
      const x = capa.randomNormal([4, 3, 64, 64], { seed: 5 });
      const y = capa.tensor([1, 7, 3, 7], [4]);
      model.compile({
        optimizer: new capa.optimizers.Adam({ learningRate: 1e-4 }),
        loss: new capa.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      });
      const history = await model.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, shuffle: false });
      const losses = history.history.loss as number[];
      console.log(`resnet50 fine-tuning losses ${losses.map((l) => l.toFixed(4)).join(' ')}`);
      expect(losses.every(Number.isFinite)).toBe(true);
      losses.slice(1).forEach((loss, i) => {
        expect(loss).toBeLessThan(losses[i] as number);
      });
      expect(losses[losses.length - 1] as number).toBeLessThan((losses[0] as number) / 2);
    },
    TIMEOUT,
  );
});
