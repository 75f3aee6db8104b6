/**
 * Issue 18, defect 4: a NaN must come out of every activation and pooling kernel that sees it, as
 * in TensorFlow and PyTorch, on every engine (js, and native under each ISA: the vector body and
 * the scalar tail both). relu(NaN) used to be 0, so one NaN in x left the loss finite and
 * TerminateOnNaN never fired while the weights silently turned to NaN.
 */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { activationNames, getActivation } from '../../src/layers/activations/functions.js';
import { describeEachEngine } from '../helpers/each-engine.js';

const { ops } = capa;

/** 37 values: NaN in the first, a middle and a last (tail) lane of 8- and 16-wide vectors, among edge values. */
const EDGE = [1, -2, Infinity, -Infinity, -0, 0, 6, 7, -1e30, 1e30, 0.5, -0.5, 3];
const NAN_AT = [0, 5, 12, 17, 31, 36];
function probe(): number[] {
  const v = Array.from({ length: 37 }, (_, i) => EDGE[i % EDGE.length] as number);
  for (const i of NAN_AT) v[i] = Number.NaN;
  return v;
}

function nanPositions(values: ArrayLike<number>): number[] {
  return Array.from(values).flatMap((v, i) => (Number.isNaN(v) ? [i] : []));
}

/** Every NaN input position is NaN in the output (elementwise ops may add NaNs of their own, e.g. Inf - Inf). */
function expectNaNsKept(out: capa.Tensor, what: string): void {
  const got = new Set(nanPositions(out.dataSync()));
  expect(
    NAN_AT.filter((i) => !got.has(i)),
    `${what}: NaN inputs that came out as numbers`,
  ).toEqual([]);
}

describeEachEngine('NaN propagation', () => {
  const x = () => capa.tensor(probe(), [37]);

  it('every Keras activation (applied alone and, where it exists, fused into a matmul) keeps NaN', () => {
    for (const name of activationNames) {
      const act = getActivation(name);
      if (name === 'softmax' || name === 'log_softmax') {
        // a NaN spreads over its whole row: every row holding one must be all NaN
        const rows = act.apply(capa.tensor(probe(), [1, 37])).dataSync();
        expect(nanPositions(rows).length, name).toBe(37);
        continue;
      }
      expectNaNsKept(act.apply(x()), name);
      if (act.fused) {
        // [37, 1] x [1, 1] keeps each value in its own row: the fused store sees every NaN alone
        const fused = ops.fusedMatmul({ a: capa.tensor(probe(), [37, 1]), b: capa.tensor([1], [1, 1]), activation: act.fused });
        expectNaNsKept(fused, `fused ${name}`);
      }
    }
  });

  it('relu, relu6, leakyRelu, clip and hardSigmoid give TensorFlow values at the edges', () => {
    const v = capa.tensor([Number.NaN, Infinity, -Infinity, -0, 0, 7, -7], [7]);
    const close = (t: capa.Tensor) => Array.from(t.dataSync()).map((n) => (Number.isNaN(n) ? 'NaN' : n + 0));
    expect(close(ops.relu(v))).toEqual(['NaN', Infinity, 0, 0, 0, 7, 0]);
    expect(close(ops.relu6(v))).toEqual(['NaN', 6, 0, 0, 0, 6, 0]);
    expect(close(ops.leakyRelu(v, 0.5))).toEqual(['NaN', Infinity, -Infinity, 0, 0, 7, -3.5]);
    expect(close(ops.clip(v, -1, 1))).toEqual(['NaN', 1, -1, 0, 0, 1, -1]);
    expect(close(ops.hardSigmoid(v))).toEqual(['NaN', 1, 0, 0.5, 0.5, 1, 0]);
  });

  it('maximum and minimum keep a NaN from either side (broadcast both ways)', () => {
    expectNaNsKept(ops.maximum(x(), 0), 'maximum(x, 0)');
    expectNaNsKept(ops.maximum(capa.scalar(0), x()), 'maximum(0, x)');
    expectNaNsKept(ops.minimum(x(), capa.zeros([37])), 'minimum(x, zeros)');
    expectNaNsKept(ops.minimum(capa.zeros([37]), x()), 'minimum(zeros, x)');
  });

  it('max/min reductions give NaN and argmax/argmin point at the first NaN, along rows and columns', () => {
    // [37, 3]: column c holds the probe shifted by c, so NaNs sit at different rows per column
    const cols = Array.from({ length: 37 * 3 }, (_, i) => probe()[(Math.floor(i / 3) + (i % 3)) % 37] as number);
    const m = capa.tensor(cols, [37, 3]);
    const firstNaN = [0, 1, 2].map((c) =>
      Array.from({ length: 37 }, (_, r) => cols[r * 3 + c] as number).findIndex(Number.isNaN),
    );
    for (const op of ['max', 'min'] as const) {
      expect(nanPositions(ops[op](m, 0).dataSync()), `${op} over rows`).toEqual([0, 1, 2]);
      expect(nanPositions(ops[op](ops.transpose(m), 1).dataSync()), `${op} along a row`).toEqual([0, 1, 2]);
    }
    for (const op of ['argmax', 'argmin'] as const) {
      expect(Array.from(ops[op](m, 0).dataSync()), `${op} over rows`).toEqual(firstNaN);
      expect(Array.from(ops[op](ops.transpose(m), 1).dataSync()), `${op} along a row`).toEqual(firstNaN);
    }
  });

  it('maxPool2d keeps NaN (vector channels and tail channels) and sends its gradient to the NaN', () => {
    // [1, 2, 2, 37]: the NaN channels are NaN in pixel (0, 1) only
    const values = Array.from({ length: 4 * 37 }, (_, i) => (Math.floor(i / 37) === 1 ? (probe()[i % 37] as number) : 0));
    const img = capa.tensor(values, [1, 2, 2, 37]);
    expectNaNsKept(ops.maxPool2d(img, 2), 'maxPool2d');
    const dx = capa
      .grad((t: capa.Tensor) => ops.sum(ops.maxPool2d(t, 2)))(img)
      .dataSync();
    for (const c of NAN_AT) expect(dx[37 + c], `gradient of NaN channel ${c}`).toBe(1);
  });
});

describe('NaN in the data of a model', () => {
  it('one NaN in x makes the loss NaN and trips TerminateOnNaN (relu network)', async () => {
    const x = capa.randomNormal([32, 4], { seed: 3 }).dataSync().slice();
    x[5] = Number.NaN;
    const y = capa.tensor(
      Array.from({ length: 32 }, (_, i) => i % 3),
      [32],
      'int32',
    );
    const model = new capa.Sequential([
      new capa.layers.Dense(8, { activation: 'relu', inputShape: [4] }),
      new capa.layers.Dense(3, { activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    let printed = '';
    capa.setTrainingOutput({ write: (s: string) => void (printed += s), isTTY: false });
    let batches = 0;
    const history = await model.fit(capa.tensor(x, [32, 4]), y, {
      epochs: 3,
      batchSize: 32,
      verbose: 0,
      callbacks: [
        new capa.callbacks.LambdaCallback({ onTrainBatchEnd: () => void batches++ }),
        new capa.callbacks.TerminateOnNaN(),
      ],
    });
    capa.setTrainingOutput(null);
    expect(batches).toBe(1);
    expect(Number.isNaN(history.history['loss']?.[0])).toBe(true);
    expect(printed).toBe('Batch 0: Invalid loss, terminating training\n');
  });
});
