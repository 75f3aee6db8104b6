/**
 * Quick checks of the data-movement, convolution, pooling and normalization ops against
 * hand-computed values and a direct-loop convolution; the PyTorch oracles live in the fixtures tests.
 */
import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';

const { ops } = capa;

/** Direct 7-loop NHWC/HWIO convolution with explicit padding. */
function naiveConv(
  x: capa.Tensor,
  k: capa.Tensor,
  stride: number,
  dil: number,
  padTop: number,
  padLeft: number,
  oh: number,
  ow: number,
): number[] {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, , f] = k.shape as [number, number, number, number];
  const xv = x.dataSync();
  const kv = k.dataSync();
  const out: number[] = [];
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < f; o++) {
          let s = 0;
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++) {
              const ii = i * stride - padTop + p * dil;
              const jj = j * stride - padLeft + q * dil;
              if (ii < 0 || ii >= h || jj < 0 || jj >= w) continue;
              for (let ci = 0; ci < c; ci++)
                s += (xv[((b * h + ii) * w + jj) * c + ci] as number) * (kv[((p * kw + q) * c + ci) * f + o] as number);
            }
          out.push(s);
        }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    expect(Math.abs((actual[i] as number) - e), `index ${i}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(e)));
  }
}

describeEachBackend('conv2d', () => {
  const cases = [
    { h: 7, w: 6, c: 3, f: 5, k: 3, stride: 1, dil: 1, padding: 'same' as const, pad: [1, 1], out: [7, 6] },
    { h: 7, w: 7, c: 2, f: 4, k: 3, stride: 2, dil: 1, padding: 'same' as const, pad: [1, 1], out: [4, 4] },
    { h: 8, w: 8, c: 2, f: 3, k: 2, stride: 2, dil: 1, padding: 'same' as const, pad: [0, 0], out: [4, 4] },
    { h: 6, w: 5, c: 2, f: 3, k: 2, stride: 1, dil: 1, padding: 'same' as const, pad: [0, 0], out: [6, 5] },
    { h: 9, w: 9, c: 3, f: 2, k: 3, stride: 1, dil: 2, padding: 'valid' as const, pad: [0, 0], out: [5, 5] },
    { h: 9, w: 8, c: 3, f: 2, k: 3, stride: 1, dil: 2, padding: 'same' as const, pad: [2, 2], out: [9, 8] },
    { h: 5, w: 5, c: 4, f: 6, k: 1, stride: 1, dil: 1, padding: 'valid' as const, pad: [0, 0], out: [5, 5] },
  ];
  for (const t of cases) {
    it(`matches direct loops: ${t.h}x${t.w}x${t.c} k${t.k} s${t.stride} d${t.dil} ${t.padding}`, () => {
      const x = capa.randomNormal([2, t.h, t.w, t.c], { seed: 1 });
      const k = capa.randomNormal([t.k, t.k, t.c, t.f], { seed: 2 });
      const y = ops.conv2d(x, k, { strides: t.stride, dilationRate: t.dil, padding: t.padding });
      expect(y.shape).toEqual([2, t.out[0], t.out[1], t.f]);
      expectClose(
        y.dataSync(),
        naiveConv(x, k, t.stride, t.dil, t.pad[0] as number, t.pad[1] as number, t.out[0] as number, t.out[1] as number),
      );
    });
  }

  it('passes the gradient check for input and kernel (strided, padded, dilated)', () => {
    const x = capa.randomNormal([2, 6, 5, 3], { seed: 3 });
    const k = capa.randomNormal([3, 3, 3, 4], { seed: 4 });
    for (const o of [{ strides: 2, padding: 'same' }, { dilationRate: 2, padding: 'same' }, { padding: 'valid' }] as const) {
      const r = capa.gradCheck((a, b) => ops.sum(ops.square(ops.conv2d(a, b, o))), [x, k]);
      expect(r.maxError, JSON.stringify(r.worst)).toBeLessThan(2e-2);
    }
  });

  it('fuses bias and activation and differentiates through them', () => {
    const x = capa.randomNormal([1, 5, 5, 2], { seed: 5 });
    const k = capa.randomNormal([3, 3, 2, 3], { seed: 6 });
    const b = capa.randomNormal([3], { seed: 7 });
    const fused = ops.fusedConv2d({ x, filter: k, bias: b, activation: 'relu', padding: 'same' });
    const plain = ops.relu(ops.add(ops.conv2d(x, k, { padding: 'same' }), b));
    expectClose(fused.dataSync(), plain.dataSync());
    for (const activation of ['linear', 'relu6', 'sigmoid', 'tanh'] as const) {
      const r = capa.gradCheck(
        (a, w, c) => ops.sum(ops.square(ops.fusedConv2d({ x: a, filter: w, bias: c, activation }))),
        [x, k, b],
      );
      expect(r.maxError, `${activation} ${JSON.stringify(r.worst)}`).toBeLessThan(2e-2);
    }
  });

  it('depthwise: each channel with its own filters, gradients check', () => {
    const x = capa.randomNormal([1, 5, 4, 3], { seed: 8 });
    const k = capa.randomNormal([3, 3, 3, 2], { seed: 9 });
    const y = ops.depthwiseConv2d(x, k, { padding: 'same' });
    expect(y.shape).toEqual([1, 5, 4, 6]);
    // channel c, multiplier m equals a plain conv of channel c alone with kernel[:, :, c, m]
    for (let c = 0; c < 3; c++) {
      const xc = ops.slice(x, [0, 0, 0, c], [1, 5, 4, 1]);
      for (let m = 0; m < 2; m++) {
        const kc = ops.slice(k, [0, 0, c, m], [3, 3, 1, 1]);
        const ref = ops.conv2d(xc, kc, { padding: 'same' });
        expectClose(ops.slice(y, [0, 0, 0, c * 2 + m], [1, 5, 4, 1]).dataSync(), ref.dataSync());
      }
    }
    const r = capa.gradCheck((a, b) => ops.sum(ops.square(ops.depthwiseConv2d(a, b, { strides: 2, padding: 'same' }))), [x, k]);
    expect(r.maxError).toBeLessThan(2e-2);
  });

  it('explains bad shapes', () => {
    expect(() => ops.conv2d(capa.zeros([1, 5, 5, 3]), capa.zeros([3, 3, 3]))).toThrow(
      /conv2d: kernel must be rank 4.*\[3, 3, 3\]/,
    );
    expect(() => ops.conv2d(capa.zeros([1, 5, 5, 3]), capa.zeros([3, 3, 4, 2]))).toThrow(
      /conv2d: input has 3 channels.*expects 4/,
    );
    expect(() => ops.conv2d(capa.zeros([5, 5, 3]), capa.zeros([3, 3, 3, 2]))).toThrow(/conv2d: x must be rank 4.*\[5, 5, 3\]/);
    expect(() => ops.conv2d(capa.zeros([1, 2, 2, 1]), capa.zeros([3, 3, 1, 1]))).toThrow(/conv2d: a 3x3 window.*does not fit/);
    expect(() => ops.conv2d(capa.zeros([1, 5, 5, 1]), capa.zeros([3, 3, 1, 1]), { padding: 'full' as 'same' })).toThrow(
      /padding/,
    );
  });
});

describeEachBackend('pooling', () => {
  const x = capa.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  it('max pool: padding never wins, even with negative inputs', () => {
    expect(ops.maxPool2d(x, 2, { strides: 2, padding: 'same' }).dataSync()).toEqual(Float32Array.from([5, 6, 8, 9]));
    expect(ops.maxPool2d(ops.neg(x), 2, { strides: 2, padding: 'same' }).dataSync()).toEqual(Float32Array.from([-1, -3, -7, -9]));
    expect(ops.maxPool2d(x, 2, { strides: 1 }).dataSync()).toEqual(Float32Array.from([5, 6, 8, 9]));
  });
  it('average pool counts only cells inside the input', () => {
    expect(Array.from(ops.avgPool2d(x, 2, { strides: 2, padding: 'same' }).dataSync())).toEqual([3, 4.5, 7.5, 9]);
    expect(Array.from(ops.avgPool2d(x, 3, { strides: 1, padding: 'same' }).dataSync())[0]).toBeCloseTo(3);
  });
  it('gradients: max routes to the winner, average spreads evenly', () => {
    const gMax = capa.grad((t) => ops.sum(ops.maxPool2d(t, 2, { strides: 2, padding: 'same' })))(x);
    expect(Array.from(gMax.dataSync())).toEqual([0, 0, 0, 0, 1, 1, 0, 1, 1]);
    const gAvg = capa.grad((t) => ops.sum(ops.avgPool2d(t, 2, { strides: 2, padding: 'same' })))(x);
    expect(Array.from(gAvg.dataSync())).toEqual([0.25, 0.25, 0.5, 0.25, 0.25, 0.5, 0.5, 0.5, 1]);
    const r = capa.randomNormal([2, 7, 6, 3], { seed: 10 });
    for (const pool of [ops.maxPool2d, ops.avgPool2d]) {
      const res = capa.gradCheck((t) => ops.sum(ops.square(pool(t, 3, { strides: 2, padding: 'same' }))), [r], { epsilon: 1e-3 });
      expect(res.maxError).toBeLessThan(2e-2);
    }
  });
});

describeEachBackend('data movement', () => {
  const x = capa.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('slice, split, concat, stack, unstack', () => {
    expect(ops.slice(x, [0, 1], [2, 2]).arraySync()).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(ops.slice(x, [1, 0], [-1, 2]).arraySync()).toEqual([[4, 5]]);
    const [a, b] = ops.split(x, [1, -1], 1);
    expect(a?.arraySync()).toEqual([[1], [4]]);
    expect(b?.arraySync()).toEqual([
      [2, 3],
      [5, 6],
    ]);
    expect(ops.concat([x, x], 0).shape).toEqual([4, 3]);
    expect(ops.concat([a as capa.Tensor, b as capa.Tensor], 1).arraySync()).toEqual(x.arraySync());
    expect(ops.stack([x, x], 1).shape).toEqual([2, 2, 3]);
    expect(ops.unstack(x, 1).map((t) => t.arraySync())).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(() => ops.concat([x, capa.zeros([2, 2, 1])], 0)).toThrow(/concat: shapes \[2, 3\], \[2, 2, 1\]/);
    const r = capa.gradCheck(
      (t) => ops.sum(ops.square(ops.concat(ops.split(t, 3, 1).reverse(), 0))),
      [capa.randomNormal([2, 3], { seed: 1 })],
    );
    expect(r.maxError).toBeLessThan(1e-2);
  });

  it('pad: constant, reflect (edge excluded), symmetric (edge repeated)', () => {
    const v = capa.tensor([1, 2, 3]);
    expect(Array.from(ops.pad(v, [[2, 1]], { constantValue: 9 }).dataSync())).toEqual([9, 9, 1, 2, 3, 9]);
    expect(Array.from(ops.pad(v, [[2, 2]], { mode: 'reflect' }).dataSync())).toEqual([3, 2, 1, 2, 3, 2, 1]);
    expect(Array.from(ops.pad(v, [[3, 2]], { mode: 'symmetric' }).dataSync())).toEqual([3, 2, 1, 1, 2, 3, 3, 2]);
    expect(() => ops.pad(v, [[3, 0]], { mode: 'reflect' })).toThrow(/reflect mode allows at most 2/);
    const g = capa.grad((t) => ops.sum(ops.pad(t, [[2, 2]], { mode: 'reflect' })))(v);
    expect(Array.from(g.dataSync())).toEqual([2, 3, 2]);
    const m = capa.randomNormal([3, 4], { seed: 2 });
    for (const mode of ['constant', 'reflect', 'symmetric'] as const) {
      const r = capa.gradCheck(
        (t) =>
          ops.sum(
            ops.square(
              ops.pad(
                t,
                [
                  [1, 2],
                  [2, 1],
                ],
                { mode },
              ),
            ),
          ),
        [m],
      );
      expect(r.maxError).toBeLessThan(1e-2);
    }
  });

  it('tile, broadcastTo, gather, oneHot', () => {
    expect(ops.tile(x, [1, 2]).arraySync()).toEqual([
      [1, 2, 3, 1, 2, 3],
      [4, 5, 6, 4, 5, 6],
    ]);
    expect(
      Array.from(
        capa
          .grad((t) => ops.sum(ops.tile(t, [2, 3])))(x)
          .dataSync(),
      ),
    ).toEqual([6, 6, 6, 6, 6, 6]);
    expect(ops.broadcastTo(capa.tensor([1, 2, 3]), [2, 3]).arraySync()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
    expect(ops.gather(x, [2, 0, 2], 1).arraySync()).toEqual([
      [3, 1, 3],
      [6, 4, 6],
    ]);
    expect(ops.gather(x, capa.tensor([[1], [0]], undefined, 'int32')).shape).toEqual([2, 1, 3]);
    expect(
      Array.from(
        capa
          .grad((t) => ops.sum(ops.gather(t, [2, 0, 2], 1)))(x)
          .dataSync(),
      ),
    ).toEqual([1, 0, 2, 1, 0, 2]);
    expect(() => ops.gather(x, [3], 1)).toThrow(/gather: index 3 is out of range for axis 1 of size 3/);
    expect(ops.oneHot([0, 2, 5], 3).arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
  });

  it('comparisons, where, cast', () => {
    expect(Array.from(ops.greater(x, 3).dataSync())).toEqual([0, 0, 0, 1, 1, 1]);
    expect(ops.equal(x, x).dtype).toBe('int32');
    expect(ops.where(ops.less(x, 3), x, 0).arraySync()).toEqual([
      [1, 2, 0],
      [0, 0, 0],
    ]);
    const [ga, gb] = capa.grads((a, b) => ops.sum(ops.where(ops.greater(a, 2), a, b)))([x, capa.zeros([3])]);
    expect(Array.from(ga?.dataSync() ?? [])).toEqual([0, 0, 1, 1, 1, 1]);
    expect(Array.from(gb?.dataSync() ?? [])).toEqual([1, 1, 0]);
    expect(Array.from(ops.cast(capa.tensor([1.7, -1.7]), 'int32').dataSync())).toEqual([1, -1]);
  });
});

describeEachBackend('softmax, normalization, dropout', () => {
  it('softmax along any axis sums to one there and passes the gradient check', () => {
    const x = capa.randomNormal([3, 4, 5], { seed: 11 });
    for (const axis of [0, 1, -1]) {
      const s = ops.sum(ops.softmax(x, axis), axis).dataSync();
      for (const v of s) expect(v).toBeCloseTo(1, 5);
      const ls = ops.logSoftmax(x, axis);
      expectClose(ops.exp(ls).dataSync(), ops.softmax(x, axis).dataSync());
      const w = capa.randomNormal([3, 4, 5], { seed: 12 });
      for (const f of [ops.softmax, ops.logSoftmax]) {
        const r = capa.gradCheck((t) => ops.sum(ops.mul(f(t, axis), w)), [x], { epsilon: 1e-3 });
        expect(r.maxError).toBeLessThan(1e-2);
      }
    }
  });

  it('batchNormTraining normalizes per channel; gradients check', () => {
    const x = capa.randomNormal([4, 3, 5], { seed: 13, mean: 2, stddev: 3 });
    const gamma = capa.randomNormal([5], { seed: 14 });
    const beta = capa.randomNormal([5], { seed: 15 });
    const { y, mean, variance } = ops.batchNormTraining(x, null, null, 1e-5);
    expectClose(ops.mean(y, [0, 1]).dataSync(), new Float32Array(5), 1e-5);
    expectClose(ops.variance(y, [0, 1]).dataSync(), new Float32Array(5).fill(1), 1e-3);
    expectClose(mean.dataSync(), ops.mean(x, [0, 1]).dataSync());
    expectClose(variance.dataSync(), ops.variance(x, [0, 1]).dataSync());
    const w = capa.randomNormal([4, 3, 5], { seed: 16 });
    const r = capa.gradCheck(
      (t, g, b) => {
        const o = ops.batchNormTraining(t, g, b, 1e-3);
        return ops.add(ops.sum(ops.mul(o.y, w)), ops.add(ops.sum(ops.square(o.mean)), ops.sum(o.variance)));
      },
      [x, gamma, beta],
      { epsilon: 1e-2 },
    );
    expect(r.maxError, JSON.stringify(r.worst)).toBeLessThan(2e-2);
  });

  it('batchNormalization (inference form) differentiates every argument', () => {
    const x = capa.randomNormal([6, 4], { seed: 17 });
    const mean = capa.randomNormal([4], { seed: 18 });
    const variance = ops.add(ops.square(capa.randomNormal([4], { seed: 19 })), 0.5);
    const offset = capa.randomNormal([4], { seed: 20 });
    const scale = capa.randomNormal([4], { seed: 21 });
    const y = ops.batchNormalization(x, mean, variance, offset, scale, 1e-3);
    const ref = ops.add(ops.mul(ops.div(ops.sub(x, mean), ops.sqrt(ops.add(variance, 1e-3))), scale), offset);
    expectClose(y.dataSync(), ref.dataSync());
    const w = capa.randomNormal([6, 4], { seed: 22 });
    const r = capa.gradCheck(
      (...a) => ops.sum(ops.mul(ops.batchNormalization(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, 1e-3), w)),
      [x, mean, variance, offset, scale],
    );
    expect(r.maxError, JSON.stringify(r.worst)).toBeLessThan(2e-2);
    expect(() => ops.batchNormalization(x, capa.zeros([3]), variance, null, null)).toThrow(
      /batchNormalization: mean has shape \[3\].*4 channels/,
    );
  });

  it('dropout is inverted, seeded, and masks the gradient the same way', () => {
    const x = capa.ones([1000]);
    const a = ops.dropout(x, 0.3, { seed: 5 });
    const b = ops.dropout(x, 0.3, { seed: 5 });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const kept = Array.from(a.dataSync()).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    expect(kept.length).toBeGreaterThan(620);
    expect(kept.length).toBeLessThan(780);
    const g = capa.grad((t) => ops.sum(ops.dropout(t, 0.3, { seed: 5 })))(x);
    expect(Array.from(g.dataSync())).toEqual(Array.from(a.dataSync()));
    const maps = ops.dropout(capa.ones([2, 3, 3, 4]), 0.5, { seed: 1, noiseShape: [null, 1, 1, null] }).dataSync();
    for (let i = 0; i < 36; i++) expect(maps[i]).toBe(maps[i % 4]);
    expect(ops.dropout(x, 0)).toBe(x);
    const r = capa.gradCheck(
      (t) => ops.sum(ops.square(ops.dropout(t, 0.4, { seed: 9 }))),
      [capa.randomNormal([5, 6], { seed: 3 })],
    );
    expect(r.maxError).toBeLessThan(1e-2);
  });
});

describe('fusedMatmul', () => {
  it('equals act(matmul + bias) and its gradients check', () => {
    const a = capa.randomNormal([5, 7], { seed: 1 });
    const b = capa.randomNormal([7, 3], { seed: 2 });
    const bias = capa.randomNormal([3], { seed: 3 });
    const y = ops.fusedMatmul({ a, b, bias, activation: 'tanh' });
    expectClose(y.dataSync(), ops.tanh(ops.add(ops.matmul(a, b), bias)).dataSync());
    for (const activation of ['relu', 'sigmoid', 'relu6', 'linear'] as const) {
      const r = capa.gradCheck(
        (p, q, c) => ops.sum(ops.square(ops.fusedMatmul({ a: p, b: q, bias: c, activation }))),
        [a, b, bias],
      );
      expect(r.maxError).toBeLessThan(2e-2);
    }
    expect(() => ops.fusedMatmul({ a, b, bias: capa.zeros([4]) })).toThrow(/fusedMatmul: bias has shape \[4\].*3 columns/);
  });
});
