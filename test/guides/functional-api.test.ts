/**
 * Keras's guide "The Functional API" (examples/guides/functional-api.ts) on small data: what the
 * guide shows (parameter counts, shapes, losses going down), and every model saved and loaded
 * (.keras, legacy .h5, TensorFlow.js) with identical predictions.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  cifarLikeData,
  ensembleModel,
  featureExtraction,
  mnistModel,
  numDepartments,
  sharedEmbeddingModel,
  ticketData,
  ticketModel,
  toyResnet,
  trainMnist,
  trainTicketModel,
  trainToyResnet,
} from '../../examples/guides/functional-api.js';
import * as capa from '../../src/index.js';

beforeEach(() => {
  capa.clearSession();
  capa.setSeed(1337);
});

/** Saves in every format and checks the loaded model predicts exactly what the original does. */
async function expectSameAfterSaving(model: capa.Model, inputs: capa.Tensor[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'capa-guide-'));
  const expected = model.applyMulti(inputs).map((t) => Array.from(t.dataSync()));
  for (const file of ['model.keras', 'model.h5', 'tfjs/']) {
    const path = join(dir, file);
    await model.save(path);
    const loaded = (await capa.models.loadModel(path)) as capa.Model;
    expect(
      loaded.inputs.map((t) => t.dtype),
      file,
    ).toEqual(model.inputs.map((t) => t.dtype));
    const got = loaded.applyMulti(inputs).map((t) => Array.from(t.dataSync()));
    expect(got, file).toEqual(expected);
  }
}

const lastOf = (values: number[] | undefined): number => values?.at(-1) as number;

describe('The Functional API guide', () => {
  it('introduction: the three-layer model, its summary, training and saving', async () => {
    const model = mnistModel();
    const summary = model.summary({ printFn: () => {} });
    expect(summary).toContain('Total params: 55,050');
    expect(model.layers.map((l) => l.outputShape)).toEqual([
      [null, 784],
      [null, 64],
      [null, 64],
      [null, 10],
    ]);
    const { history, testScores, xTrain } = await trainMnist(model, 640, 3);
    const loss = history.history.loss as number[];
    expect(lastOf(loss)).toBeLessThan(loss[0] as number);
    expect(testScores.accuracy).toBeGreaterThan(0.2);
    await expectSameAfterSaving(model, [capa.ops.slice(xTrain, [0, 0], [8, 784])]);
  });

  it('all models are callable: an ensemble of three models', async () => {
    const ensemble = ensembleModel();
    expect(ensemble.countParams()).toBe(3 * 129);
    expect(ensemble.outputShape).toEqual([null, 1]);
    await expectSameAfterSaving(ensemble, [capa.randomNormal([4, 128])]);
  });

  it('multiple inputs and outputs: the ticket classifier (int32 ids in, dicts of data and losses)', async () => {
    const model = ticketModel();
    expect(model.inputNames).toEqual(['title', 'body', 'tags']);
    expect(model.outputNames).toEqual(['priority', 'department']);
    // the guide's count: embeddings 2 x 640,000, LSTM(128) 98,816, LSTM(32) 12,416, heads 173 + 692
    expect(model.countParams()).toBe(1_392_097);
    expect(model.summary({ printFn: () => {} })).toContain('Total params: 1,392,097');
    expect(model.summary({ printFn: () => {}, style: 'keras3' })).toContain('1,392,097');
    expect(model.layers.filter((l) => l.className === 'LSTM').map((l) => l.outputShape)).toEqual([
      [null, 128],
      [null, 32],
    ]);
    expect(model.outputShapes).toEqual([
      [null, 1],
      [null, numDepartments],
    ]);
    expect(model.getLayer('title').getConfig().dtype).toBe('int32');
    const data = ticketData(96, 10, 20);
    const history = await trainTicketModel(model, data, 3);
    expect(Object.keys(history.history)).toEqual(['loss', 'priority_loss', 'department_loss']);
    const loss = history.history.loss as number[];
    expect(lastOf(loss)).toBeLessThan(loss[0] as number);
    expect(lastOf(loss)).toBeCloseTo(lastOf(history.history.priority_loss) + 0.2 * lastOf(history.history.department_loss), 1);
    const sample = [data.titleData, data.bodyData, data.tagsData].map((t) =>
      capa.ops.slice(t, [0, 0], [4, t.shape[1] as number]),
    );
    await expectSameAfterSaving(model, sample);
    const predictions = await model.predictMulti({ title: sample[0], body: sample[1], tags: sample[2] }, { verbose: 0 });
    expect(predictions.map((p) => p.shape)).toEqual([
      [4, 1],
      [4, numDepartments],
    ]);
  });

  it('a toy ResNet: 223,242 parameters, the guide’s shapes, one epoch lowers the loss', async () => {
    const model = toyResnet();
    const summary = model.summary({ printFn: () => {} });
    expect(summary).toContain('Total params: 223,242');
    expect(model.getLayer(3).outputShape).toEqual([null, 9, 9, 64]);
    const { xTrain, yTrain } = cifarLikeData(192);
    model.compile({ loss: new capa.losses.CategoricalCrossentropy({ fromLogits: true }) });
    const before = (await model.evaluate(xTrain, yTrain, { verbose: 0 })).loss as number;
    const history = await trainToyResnet(model, xTrain, yTrain);
    expect(Object.keys(history.history)).toEqual(['loss', 'acc', 'val_loss', 'val_acc']);
    const after = (await model.evaluate(xTrain, yTrain, { verbose: 0 })).loss as number;
    expect(after).toBeLessThan(before);
    await expectSameAfterSaving(model, [capa.ops.slice(xTrain, [0, 0, 0, 0], [2, 32, 32, 3])]);
  });

  it('shared layers: one Embedding and one LSTM, each called on both int32 inputs', async () => {
    const model = sharedEmbeddingModel();
    for (const name of ['Embedding', 'LSTM']) {
      const shared = model.layers.find((l) => l.className === name) as capa.Layer;
      expect(shared.inboundNodes.length).toBe(2);
    }
    // 1000 x 128 embeddings, then LSTM(32) on 128 features: 4 x (128·32 + 32·32 + 32)
    expect(model.countParams()).toBe(128_000 + 20_608);
    const [a, b] = model.applyMulti([
      capa.tensor([[1, 2, 3]], undefined, 'int32'),
      capa.tensor([[3, 2]], undefined, 'int32'),
    ]) as [capa.Tensor, capa.Tensor];
    expect(a.shape).toEqual([1, 32]);
    expect(b.shape).toEqual([1, 32]);
    // the same weights: the same words read through either input encode the same
    const [c, d] = model.applyMulti([capa.tensor([[3, 2]], undefined, 'int32'), capa.tensor([[3, 2]], undefined, 'int32')]) as [
      capa.Tensor,
      capa.Tensor,
    ];
    expect(Array.from(c.dataSync())).toEqual(Array.from(d.dataSync()));
    expect(Array.from(d.dataSync())).toEqual(Array.from(b.dataSync()));
    await expectSameAfterSaving(model, [capa.tensor([[5, 6, 7]], undefined, 'int32'), capa.tensor([[8, 9]], undefined, 'int32')]);
  });

  it('extract and reuse nodes: a feature-extraction model over every VGG19 layer', async () => {
    const { vgg19, featExtractionModel, extractedFeatures } = await featureExtraction({
      includeTop: false,
      inputShape: [32, 32, 3],
    });
    expect(featExtractionModel.outputs).toHaveLength(vgg19.layers.length);
    expect(extractedFeatures.map((f) => f.shape.slice(1))).toEqual(vgg19.layers.map((l) => (l.outputShape as number[]).slice(1)));
    expect(extractedFeatures.at(-1)?.shape).toEqual([1, 1, 1, 512]);
    expect(featExtractionModel.getLayer('block5_conv4')).toBe(vgg19.getLayer('block5_conv4'));
  });
});
