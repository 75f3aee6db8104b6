/**
 * Every layer the harness covers (cases.ts), run on poisoned storage (every array an op takes
 * or hands back is NaN-filled) with recycling on, must compute exactly what it computes with
 * recycling off: its forward pass at inference, the gradients with respect to its inputs, and,
 * where it has trainable weights, two training steps. The layer sits between two custom layers
 * in a functional model, so its inputs and outputs are intermediates the model runner releases
 * (tensor/storage-recycler.ts); batches are scaled so every value is big enough for the pool.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { sizeOf } from '../../src/tensor/shape.js';
import { MIN_POOLED_ELEMENTS, setStoragePoisoning, setStorageRecycling } from '../../src/tensor/storage-pool.js';
import { describeEachBackend } from '../helpers/backends.js';
import { clearPools, pooledStorage } from '../helpers/pooled-storage.js';
import { layerCases, modelCases } from './cases.js';
import type { LayerCase } from './harness.js';

const { ops } = capa;
type Tensor = capa.Tensor;

/** x * factor: a custom layer (declared nowhere) whose output is fresh storage. */
class Scale extends capa.Layer {
  static override readonly className: string = 'Scale';
  constructor(private readonly factor: number) {
    super();
  }
  override call(input: Tensor): Tensor {
    return ops.mul(input, this.factor);
  }
}

/** The case's shapes with the batch multiplied until every input and the output fill a pooled array. */
function scaled(c: LayerCase): { inputs: number[][]; output: number[] } {
  const smallest = Math.min(...[...c.inputs, c.output].map(sizeOf));
  const k = Math.ceil(MIN_POOLED_ELEMENTS / smallest);
  const times = (s: number[]): number[] => [(s[0] as number) * k, ...s.slice(1)];
  return { inputs: c.inputs.map(times), output: times(c.output) };
}

/** Input -> Scale -> the layer -> Scale, built from the same seed each time. */
function sandwich(c: LayerCase): capa.Model {
  capa.clearSession();
  capa.setSeed(42);
  const layer = c.make();
  const ins = c.inputs.map((s) => capa.Input({ shape: s.slice(1) }));
  const pre = ins.map((x) => new Scale(1.5).apply(x));
  const y = c.inputs.length > 1 ? layer.apply(pre) : layer.apply(pre[0] as capa.SymbolicTensor);
  return new capa.Model({ inputs: ins, outputs: new Scale(0.5).apply(y) });
}

interface Run {
  forward: number[][];
  inputGrads: number[][];
  losses: number[];
  weights: number[][];
}

const values = (ts: readonly (Tensor | null)[]): number[][] => ts.map((t) => (t ? Array.from(t.dataSync()) : []));

/** Everything the case computes, with recycling on or off. */
async function runCase(c: LayerCase, recycle: boolean): Promise<Run> {
  const previous = setStorageRecycling(recycle);
  try {
    const shapes = scaled(c);
    const model = sandwich(c);
    const xs = shapes.inputs.map((s, i) => ops.mul(capa.randomNormal(s, { seed: 100 + i }), 1));
    clearPools();
    // Twice: the second pass computes into the storage the first one released.
    capa.noGrad(() => model.applyMulti(xs));
    const forward = values(capa.noGrad(() => model.applyMulti(xs)));
    if (recycle) expect(pooledStorage().arrays, 'the pool took part').toBeGreaterThan(0);
    const lossOf = (...inputs: Tensor[]): Tensor => ops.sum(ops.square(model.applyMulti(inputs)[0] as Tensor));
    capa.valueAndGrads(lossOf)(xs);
    const inputGrads = values(capa.valueAndGrads(lossOf)(xs).grads);
    const losses: number[] = [];
    if (model.trainableWeights.length > 0) {
      model.compile({ optimizer: new capa.optimizers.SGD({ learningRate: 0.01, momentum: 0.9 }), loss: 'mse' });
      const target = capa.randomNormal(shapes.output, { seed: 7 });
      capa.setSeed(3);
      for (let i = 0; i < 2; i++) {
        const logs = await model.trainOnBatch(xs.length > 1 ? xs : (xs[0] as Tensor), target);
        losses.push(logs.loss as number);
      }
    }
    return { forward, inputGrads, losses, weights: values(model.getWeights()) };
  } finally {
    setStorageRecycling(previous);
  }
}

describeEachBackend('every harness layer on poisoned, recycled storage', () => {
  let previousPoison = false;
  beforeAll(() => {
    previousPoison = setStoragePoisoning(true);
  });
  afterAll(() => {
    setStoragePoisoning(previousPoison);
  });

  for (const c of [...layerCases, ...modelCases]) {
    it(c.name, async () => {
      const plain = await runCase(c, false);
      const recycled = await runCase(c, true);
      expect(recycled.forward.flat().every(Number.isFinite), 'no poisoned output').toBe(true);
      expect(recycled).toEqual(plain);
    });
  }
});
