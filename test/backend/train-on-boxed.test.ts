/**
 * compile + fit + evaluate + predict on a backend whose storage is not host memory and cannot be
 * read synchronously (test/helpers/boxed-backend, a stand-in for a GPU): the results are the js
 * backend's, each training step reads the backend once (its logs: loss and metrics together), and
 * each batch's data is uploaded once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { createBoxedBackend } from '../helpers/boxed-backend.js';

const boxed = createBoxedBackend();
capa.registerBackend('boxed', () => boxed);
const previous = capa.getBackend();
afterEach(() => capa.setBackend(previous));

/** Host data (owned by no backend's ops): what a data loader hands fit. */
function hostData(samples: number, rowShape: number[], classes: number): { x: capa.Tensor; y: capa.Tensor } {
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(samples * rowSize);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 1.3) + Math.cos(i * 0.37);
  const y = new Float32Array(samples * classes);
  // a learnable label: the class of the sample's first value's bucket
  for (let s = 0; s < samples; s++) y[s * classes + (Math.floor(((x[s * rowSize] as number) + 2) * 0.75) % classes)] = 1;
  return { x: new capa.Tensor(x, [samples, ...rowShape]), y: new capa.Tensor(y, [samples, classes]) };
}

function denseModel(): capa.Sequential {
  return new capa.Sequential([
    new capa.layers.Dense(8, { inputShape: [5], activation: 'relu' }),
    new capa.layers.Dense(3, { activation: 'softmax' }),
  ]);
}

function convModel(): capa.Sequential {
  return new capa.Sequential([
    new capa.layers.Conv2D(4, 3, { inputShape: [6, 6, 2], activation: 'relu', padding: 'same' }),
    new capa.layers.MaxPooling2D(2),
    new capa.layers.Flatten(),
    new capa.layers.Dense(3, { activation: 'softmax' }),
  ]);
}

interface Run {
  history: Record<string, number[]>;
  evaluation: Record<string, number>;
  predictions: number[];
  predictionBackend: string;
  weightsBackend: string[];
}

const oneHotLoss: capa.CompileArgs = { optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] };

/** Builds, trains, evaluates and predicts on `backend` from the same seed and host data. */
async function train(
  backend: string,
  build: () => capa.Sequential,
  data: { x: capa.Tensor; y: capa.Tensor },
  compileArgs = oneHotLoss,
): Promise<Run> {
  capa.setBackend(backend);
  capa.setSeed(11);
  const model = build();
  model.compile(compileArgs);
  const history = await model.fit(data.x, data.y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
  const evaluation = await model.evaluate(data.x, data.y, { batchSize: 32, verbose: 0 });
  const predicted = (await model.predict(data.x, { batchSize: 32 })) as capa.Tensor;
  return {
    history: history.history as Record<string, number[]>,
    evaluation,
    predictions: Array.from(await predicted.data()),
    predictionBackend: predicted.backend,
    weightsBackend: model.getWeights().map((w) => w.backend),
  };
}

function expectClose(actual: readonly number[], expected: readonly number[], digits: number): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, v] of actual.entries()) expect(v).toBeCloseTo(expected[i] as number, digits);
}

describe('training on a backend without host storage or synchronous reads', () => {
  for (const [name, build, rowShape] of [
    ['a Dense model', denseModel, [5]],
    ['a small CNN', convModel, [6, 6, 2]],
  ] as const) {
    it(`${name}: fit, evaluate and predict give the js backend's results`, async () => {
      const data = hostData(96, [...rowShape], 3);
      const expected = await train('js', build, data);
      const actual = await train('boxed', build, data);
      expect(actual.weightsBackend.every((b) => b === 'boxed')).toBe(true);
      expect(actual.predictionBackend).toBe('boxed');
      expect(Object.keys(actual.history)).toEqual(['loss', 'accuracy']);
      // The kernels are the js backend's; the running means add in float32 on the backend
      // (float64 on the host), hence closeness rather than equality for the logs.
      expectClose(actual.history.loss as number[], expected.history.loss as number[], 5);
      expectClose(actual.history.accuracy as number[], expected.history.accuracy as number[], 5);
      expect(Object.keys(actual.evaluation)).toEqual(['loss', 'accuracy']);
      expectClose(Object.values(actual.evaluation), Object.values(expected.evaluation), 5);
      expectClose(actual.predictions, expected.predictions, 6);
      // it learned something: the second epoch's loss is below the first's
      expect((actual.history.loss as number[])[1]).toBeLessThan((actual.history.loss as number[])[0] as number);
    });
  }

  it('sparse labels and a loss from logits: the one-hot rows and the fused loss are made on the backend', async () => {
    const { x, y } = hostData(64, [5], 3);
    const labels = new capa.Tensor(Int32Array.from(await capa.ops.argmax(y, -1).data()), [64]);
    const logits = () =>
      new capa.Sequential([new capa.layers.Dense(8, { inputShape: [5], activation: 'relu' }), new capa.layers.Dense(3)]);
    const args: capa.CompileArgs = {
      optimizer: 'adam',
      loss: new capa.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    };
    const expected = await train('js', logits, { x, y: labels }, args);
    const actual = await train('boxed', logits, { x, y: labels }, args);
    expectClose(actual.history.loss as number[], expected.history.loss as number[], 5);
    expectClose(actual.history.accuracy as number[], expected.history.accuracy as number[], 5);
    expectClose(actual.predictions, expected.predictions, 6);
  });

  it('data that already lives on the backend is batched there, shuffled, without a read', async () => {
    const host = hostData(48, [5], 3);
    const run = async (backend: string) => {
      capa.setBackend(backend);
      const x = capa.ops.toBackend(host.x, backend);
      const y = capa.ops.toBackend(host.y, backend);
      capa.setSeed(3);
      const model = denseModel();
      model.compile(oneHotLoss);
      const readsBefore = boxed.reads;
      const history = await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
      return { history: history.history as Record<string, number[]>, reads: boxed.reads - readsBefore };
    };
    const expected = await run('js');
    const actual = await run('boxed');
    expectClose(actual.history.loss as number[], expected.history.loss as number[], 5);
    expect(actual.reads).toBe(6);
  });

  it('reads the backend once per training step and uploads each batch once', async () => {
    const features = 5;
    const classes = 3;
    const batch = 16;
    const steps = 20;
    const data = hostData(batch * steps, [features], classes);
    capa.setBackend('boxed');
    capa.setSeed(5);
    const model = denseModel();
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const batchEnds: number[] = [];
    const perBatch = new capa.callbacks.LambdaCallback({
      onTrainBatchEnd: (_batch, logs) => {
        batchEnds.push(logs?.loss as number);
      },
    });
    const readsBefore = boxed.reads;
    const uploadsBefore = boxed.uploads.length;
    await model.fit(data.x, data.y, { epochs: 1, batchSize: batch, verbose: 0, callbacks: [perBatch] });
    const reads = boxed.reads - readsBefore;
    const uploads = boxed.uploads.slice(uploadsBefore);
    // One read per step: the loss and the accuracy stacked into one tensor (step-logs.ts).
    expect(reads).toBe(steps);
    // Every step's logs reached the callback as numbers.
    expect(batchEnds).toHaveLength(steps);
    for (const loss of batchEnds) expect(Number.isFinite(loss)).toBe(true);
    // Each batch's x and y went up once; nothing else of their size did.
    expect(uploads.filter((n) => n === batch * features)).toHaveLength(steps);
    expect(uploads.filter((n) => n === batch * classes)).toHaveLength(steps);
  });
});
