/**
 * Nothing is recorded outside a gradient scope (autograd/record.ts): model.apply, predict and
 * plain ops on trainable weights keep no tape; grad, variableGrads and the training step record
 * only while they run, nest, and never leave recording on for code that runs while fit awaits.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { isRecording } from '../../src/autograd/record.js';
import * as capa from '../../src/index.js';

const { layers: L, ops } = capa;
type Tensor = capa.Tensor;

function classifier(): capa.Sequential {
  const model = new capa.Sequential([
    new L.Conv2D(4, 3, { activation: 'relu', inputShape: [6, 6, 2] }),
    new L.Flatten(),
    new L.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  return model;
}

const x = capa.randomNormal([8, 6, 6, 2], { seed: 3 });
const y = capa.tensor([0, 1, 2, 0, 1, 2, 0, 1], [8], 'int32');

/** A tensor that keeps no tape: no gradient node, not marked as requiring grad. */
function expectNoTape(t: Tensor, what: string): void {
  expect(t.gradNode, what).toBeNull();
  expect(t.requiresGrad, what).toBe(false);
}

describe('gradient scopes', () => {
  beforeEach(() => {
    capa.setSeed(7);
  });

  it('model.apply, predict and plain ops on trainable weights record nothing', async () => {
    const model = classifier();
    expect(isRecording()).toBe(false);
    expectNoTape(model.apply(x), 'model.apply');
    expectNoTape(model.apply(x, { training: true }), 'model.apply (training: true)');
    expectNoTape(model.predictOnBatch(x), 'predictOnBatch');
    expectNoTape(await model.predict(x, { verbose: 0 }), 'predict');
    const w = model.trainableWeights[0] as capa.Variable;
    expect(w.requiresGrad).toBe(true);
    expectNoTape(ops.sum(ops.mul(w, 2)), 'an op on a trainable Variable');
  });

  it('grad records inside its function only, and restores the state when f throws', () => {
    const v = new capa.Variable(capa.tensor([1, 2, 3]));
    let inside: Tensor | null = null;
    const g = capa.grad((t) => {
      inside = ops.mul(v, 2);
      return ops.sum(ops.mul(t, t));
    })(capa.tensor([1, -2, 4]));
    expect(Array.from(g.dataSync())).toEqual([2, -4, 8]);
    expect((inside as Tensor | null)?.gradNode).not.toBeNull();
    expectNoTape(ops.mul(v, 2), 'after grad');
    expect(() =>
      capa.grad(() => {
        throw new Error('boom');
      })(capa.tensor([1])),
    ).toThrow('boom');
    expect(isRecording()).toBe(false);
  });

  it('nests: ops after an inner grad still record for the outer one; noGrad inside a scope turns it off', () => {
    const x0 = capa.tensor([1, -2, 3]);
    // The inner gradient (2t) is a constant for the outer scope: d/dt sum(t * 2t') = 2t'.
    const outer = capa.grad((t) => {
      const inner = capa.grad((u) => ops.sum(ops.mul(u, u)))(t);
      return ops.sum(ops.mul(t, inner));
    })(x0);
    expect(Array.from(outer.dataSync())).toEqual([2, -4, 6]);
    const cut = capa.grad((t) =>
      ops.add(
        ops.sum(t),
        capa.noGrad(() => ops.sum(ops.mul(t, t))),
      ),
    )(x0);
    expect(Array.from(cut.dataSync())).toEqual([1, 1, 1]);
    // Through variableGrads: the noGrad factor is a constant, so d/dv sum(c * v) = c = v.
    const v = new capa.Variable(x0);
    const { value, grads } = capa.variableGrads(
      () =>
        ops.sum(
          ops.mul(
            capa.noGrad(() => ops.mul(v, 1)),
            v,
          ),
        ),
      [v],
    );
    expect(value.item()).toBe(14);
    expect(Array.from(grads[0]?.dataSync() ?? [])).toEqual([1, -2, 3]);
  });

  it('fit leaves recording off while it awaits: callbacks and concurrent code keep no tape', async () => {
    const model = classifier();
    const w = model.trainableWeights[0] as capa.Variable;
    const seen: boolean[] = [];
    const look = (): void => {
      seen.push(isRecording(), ops.mul(w, 2).gradNode !== null, model.apply(x).gradNode !== null);
    };
    const timer = setInterval(look, 0);
    const callback = new capa.callbacks.LambdaCallback({
      onBatchEnd: async () => {
        look();
        await new Promise((resolve) => setTimeout(resolve, 1));
        look();
      },
    });
    try {
      const history = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, callbacks: [callback] });
      expect(history.history.loss?.length).toBe(3);
    } finally {
      clearInterval(timer);
    }
    expect(seen.length).toBeGreaterThanOrEqual(3 * 4 * 2 * 3);
    expect(seen.every((s) => s === false)).toBe(true);
    expectNoTape(model.apply(x), 'model.apply after fit');
  });
});
