/**
 * Training on webgpu without a CPU round trip per op: a small convnet trained 20 steps with
 * gradients and Adam on the GPU reads back only its loss, one buffer map per step, and follows the
 * js backend's loss curve from the same initial weights. Also: the failures a GPU adds (a buffer
 * larger than the adapter allows, a lost device) end in clear errors, not a crash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { maxRelativeError } from '../helpers/close.js';
import { startWebGpu, webgpu } from '../helpers/webgpu.js';

const { ops, layers } = capa;
const unavailable = await startWebGpu();

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(seed * 13 + i * 0.37);
  return out;
}

/** 20 Adam steps of a conv-pool-dense model on fixed data; returns each step's loss and the maps it took. */
async function train(backend: string): Promise<{ losses: number[]; maps: number }> {
  await capa.setBackend(backend);
  capa.setSeed(3);
  const model = new capa.Sequential([
    new layers.Conv2D(4, 3, { inputShape: [6, 6, 2], activation: 'relu', padding: 'same' }),
    new layers.MaxPooling2D(2),
    new layers.Flatten(),
    new layers.Dense(3),
  ]);
  const x = capa.tensor(values(8 * 6 * 6 * 2, 1), [8, 6, 6, 2]);
  const y = capa.tensor(values(8 * 3, 2), [8, 3]);
  const optimizer = new capa.optimizers.Adam({ learningRate: 0.01 });
  const weights = model.trainableWeights;
  const losses: number[] = [];
  const mapsBefore = backend === 'webgpu' ? webgpu().stats.maps : 0;
  for (let step = 0; step < 20; step++) {
    const { value, grads } = capa.variableGrads(() => ops.mean(ops.square(ops.sub(model.apply(x) as capa.Tensor, y))), weights);
    optimizer.applyGradients(weights.map((w, i) => [grads[i]!, w] as const));
    losses.push((await value.data())[0] as number);
  }
  return { losses, maps: backend === 'webgpu' ? webgpu().stats.maps - mapsBefore : 0 };
}

describe.skipIf(unavailable !== null)('training on webgpu', () => {
  let previous: capa.BackendName;
  beforeAll(() => {
    previous = capa.getBackend();
  });
  afterAll(() => capa.setBackend(previous));

  it('reads at most one buffer per step and follows the js loss curve', async () => {
    const gpu = await train('webgpu');
    const js = await train('js');
    expect(gpu.maps).toBeLessThanOrEqual(20);
    expect(gpu.losses[19]).toBeLessThan(gpu.losses[0]! * 0.8);
    expect(maxRelativeError(gpu.losses, js.losses)).toBeLessThanOrEqual(1e-4);
  });

  it('fit and predict run on webgpu with the same API', async () => {
    await capa.setBackend('webgpu');
    capa.setSeed(1);
    const model = new capa.Sequential([
      new layers.Dense(8, { inputShape: [4], activation: 'relu' }),
      new layers.Dense(3, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = capa.tensor(values(64 * 4, 5), [64, 4]);
    const y = capa.tensor(
      Int32Array.from({ length: 64 }, (_, i) => i % 3),
      [64],
      'int32',
    );
    const history = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses).toHaveLength(3);
    expect(losses[2]).toBeLessThan(losses[0]!);
    const predictions = (await model.predict(x)) as capa.Tensor;
    expect(predictions.backend).toBe('webgpu');
    const rows = await predictions.data();
    expect(rows[0]! + rows[1]! + rows[2]!).toBeCloseTo(1, 5);
  });

  it('records a step as batched submits, not one per kernel', async () => {
    await capa.setBackend('webgpu');
    const before = { ...webgpu().stats };
    const a = capa.tensor(values(64 * 64, 3), [64, 64]);
    let h = a;
    for (let i = 0; i < 50; i++) h = ops.tanh(ops.matmul(h, a));
    await h.data();
    const dispatches = webgpu().stats.dispatches - before.dispatches;
    expect(dispatches).toBeGreaterThanOrEqual(100);
    expect(webgpu().stats.submits - before.submits).toBeLessThanOrEqual(2);
    expect(webgpu().stats.maps - before.maps).toBe(1);
  });

  it('refuses a buffer larger than the adapter allows with an error naming the backend', async () => {
    await capa.setBackend('webgpu');
    const limit = webgpu().device.limits.maxStorageBufferBindingSize;
    const elements = Math.floor(limit / 4) * 2;
    expect(() => ops.zeros([elements])).toThrow(
      /webgpu: cannot allocate a float32 tensor of \d+ elements .* the adapter's largest buffer is/,
    );
    // the backend still works afterwards
    expect(Array.from(await ops.add(capa.tensor([1, 2]), 1).data())).toEqual([2, 3]);
  });

  it('dataSync on a GPU tensor names the backend and the async twin', async () => {
    await capa.setBackend('webgpu');
    expect(() => capa.tensor([1, 2]).dataSync()).toThrow(/'webgpu' backend cannot read .* await tensor\.data\(\)/);
  });

  // last: it destroys the device this test file's backend uses
  it('a lost device gives a clear error on the next op and the next read, and the process goes on', async () => {
    await capa.setBackend('webgpu');
    const t = ops.add(capa.tensor([1, 2, 3]), 1);
    await t.data();
    webgpu().device.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(t.data()).rejects.toThrow(/webgpu: the GPU device was lost .*another backend/);
    expect(() => ops.mul(t, 2)).toThrow(/webgpu: the GPU device was lost/);
    await capa.setBackend('js');
    expect(Array.from(await capa.tensor([1, 2]).add(1).data())).toEqual([2, 3]);
  });
});
