/// <reference lib="dom" />
/**
 * What the headless-Chromium WebGPU smoke test runs inside the page: capa's webgpu backend on the
 * browser's `navigator.gpu` (SwiftShader here), each check computed on webgpu and on js in the same
 * page, returned as plain data for the Node side (test/browser/webgpu-chromium.test.ts) to compare.
 */
import { backendNamed } from '../../../src/backend/registry.js';
import type { WebGpuBackend } from '../../../src/backend/webgpu/backend.js';
import * as capa from '../../../src/index.js';
import { lossOf, type OpCase, toTensor } from '../../conformance/fixture-cases.js';
import { runOp } from '../../conformance/op-table.js';

type Compared = 'webgpu' | 'js';

/** Starts webgpu through navigator.gpu; when it cannot, the error and the backend capa stayed on. */
async function start(): Promise<{ backend: string; adapter: string } | { error: string; backend: string }> {
  try {
    await capa.setBackend('webgpu');
  } catch (error) {
    return { error: (error as Error).message, backend: capa.getBackend() };
  }
  return { backend: capa.getBackend(), adapter: (backendNamed('webgpu') as WebGpuBackend).adapterName };
}

/** One fixture case on the current backend: its outputs and the gradients of its inputs. */
async function runCase(c: OpCase) {
  const outs = runOp(c.op, c.inputs.map(toTensor), c.attrs);
  const grads: (number[] | null)[] = c.inputs.map(() => null);
  if (c.grads.some((g) => g)) {
    const { diffIndices, inputs, f } = lossOf(c, (all) => runOp(c.op, all, c.attrs));
    const g = capa.valueAndGrads(f)(diffIndices.map((k) => inputs[k] as capa.Tensor)).grads;
    for (const [j, k] of diffIndices.entries()) grads[k] = Array.from(await (g[j] as capa.Tensor).data());
  }
  const outputs: number[][] = [];
  for (const o of outs) outputs.push(Array.from(await o.data()));
  return { backends: outs.map((o) => o.backend), shapes: outs.map((o) => o.shape), outputs, grads };
}

/** Every `every`-th case of each fixture family, each on webgpu and on js. */
async function conformance(families: Record<string, number>) {
  const results: {
    family: string;
    name: string;
    ms: number;
    runs: Record<Compared, Awaited<ReturnType<typeof runCase>>>;
  }[] = [];
  for (const [family, every] of Object.entries(families)) {
    const response = await fetch(`fixtures/ops/${family}.json`);
    if (!response.ok) throw new Error(`fixtures/ops/${family}.json: HTTP ${response.status}`);
    const { cases } = (await response.json()) as { cases: OpCase[] };
    for (const c of cases.filter((_, i) => i % every === 0)) {
      const t0 = performance.now();
      await capa.setBackend('webgpu');
      const webgpu = await runCase(c);
      await capa.setBackend('js');
      const js = await runCase(c);
      results.push({ family, name: c.name, ms: performance.now() - t0, runs: { webgpu, js } });
    }
  }
  await capa.setBackend('webgpu');
  return results;
}

/** A few `fit` steps of a small convnet from the same seed: per-epoch losses, final weights, predictions. */
async function fitSteps(backend: Compared) {
  await capa.setBackend(backend);
  capa.setSeed(5);
  const { layers } = capa;
  const model = new capa.Sequential([
    new layers.Conv2D(4, 3, { inputShape: [8, 8, 2], activation: 'relu', padding: 'same' }),
    new layers.MaxPooling2D(2),
    new layers.Flatten(),
    new layers.Dense(8, { activation: 'tanh' }),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new capa.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy' });
  const n = 32;
  const x = capa.tensor(
    Float32Array.from({ length: n * 8 * 8 * 2 }, (_, i) => Math.sin(i * 0.37)),
    [n, 8, 8, 2],
  );
  const y = capa.tensor(
    Int32Array.from({ length: n }, (_, i) => i % 3),
    [n],
    'int32',
  );
  // 3 epochs of 4 batches: 12 optimizer steps, in order (no shuffle) so both backends see the same batches
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
  const weights: number[] = [];
  for (const w of model.getWeights()) weights.push(...(await w.data()));
  const predicted = (await model.predict(x)) as capa.Tensor;
  return {
    backend: predicted.backend,
    loss: history.history.loss as number[],
    weights,
    predictions: Array.from(await predicted.data()),
  };
}

/**
 * The browser's device reporting that the driver ran out of memory (the event WebGPU fires, with
 * the browser's own GPUOutOfMemoryError): the next read must reject saying so; later work goes on.
 */
async function outOfMemory() {
  await capa.setBackend('webgpu');
  const t = capa.ops.add(capa.tensor([1, 2, 3]), 1);
  const error = new GPUOutOfMemoryError('Out of memory (simulated)');
  (backendNamed('webgpu') as WebGpuBackend).device.dispatchEvent(new GPUUncapturedErrorEvent('uncapturederror', { error }));
  let read = 'no error';
  try {
    await t.data();
  } catch (e) {
    read = (e as Error).message;
  }
  return { read, afterwards: Array.from(await capa.ops.mul(capa.tensor([1, 2]), 3).data()) };
}

/** Loses the device (as a driver reset would): the next op and read must fail saying so, and js must still work. */
async function lostDevice() {
  await capa.setBackend('webgpu');
  const t = capa.ops.add(capa.tensor([1, 2, 3]), 1);
  await t.data();
  (backendNamed('webgpu') as WebGpuBackend).device.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const errorOf = async (f: () => unknown) => {
    try {
      await f();
      return 'no error';
    } catch (error) {
      return (error as Error).message;
    }
  };
  const read = await errorOf(() => t.data());
  const op = await errorOf(() => capa.ops.mul(t, 2));
  await capa.setBackend('js');
  return { read, op, afterwards: Array.from(await capa.tensor([1, 2]).add(1).data()) };
}

const checks = { start, conformance, fitSteps, outOfMemory, lostDevice };

export type WebGpuChecks = typeof checks;
(globalThis as unknown as { capaWebGpuChecks: WebGpuChecks }).capaWebGpuChecks = checks;
