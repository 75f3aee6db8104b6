import { describe, expect, it } from 'vitest';
import * as capa from '../src/index.js';
import { describeEachBackend } from './helpers/backends.js';

describeEachBackend('core ops', () => {
  it('broadcasts add and sums gradients back', () => {
    const a = capa.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = capa.tensor([10, 20, 30]);
    expect(a.add(b).arraySync()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    const { grads } = capa.valueAndGrads((x, y) => capa.ops.sum(capa.ops.mul(x, y)))([a, b]);
    expect(grads[1]?.arraySync()).toEqual([5, 7, 9]);
    expect(grads[0]?.arraySync()).toEqual([
      [10, 20, 30],
      [10, 20, 30],
    ]);
  });

  it('multiplies matrices in every transpose combination', () => {
    const a = capa.randomNormal([5, 7], { seed: 1 });
    const b = capa.randomNormal([7, 3], { seed: 2 });
    const ref = naiveMatmul(a.dataSync(), b.dataSync(), 5, 7, 3);
    const at = a.transpose();
    const bt = b.transpose();
    for (const [x, y, o] of [
      [a, b, {}],
      [at, b, { transposeA: true }],
      [a, bt, { transposeB: true }],
      [at, bt, { transposeA: true, transposeB: true }],
    ] as const) {
      const c = capa.ops.matmul(x, y, o).dataSync();
      for (let i = 0; i < ref.length; i++) expect(c[i]).toBeCloseTo(ref[i] as number, 4);
    }
  });

  it('rejects a matmul of mismatched inner dimensions, naming both shapes', () => {
    expect(() => capa.ops.matmul(capa.zeros([2, 3]), capa.zeros([4, 5]))).toThrow(/matmul.*\[2, 3\].*\[4, 5\]/);
  });

  it('passes the numerical gradient check through a small network', () => {
    const x = capa.randomNormal([4, 6], { seed: 3 });
    const w = capa.randomNormal([6, 5], { seed: 4 });
    const f = (xx: capa.Tensor, ww: capa.Tensor) => capa.ops.mean(capa.ops.tanh(capa.ops.matmul(xx, ww)).square());
    const r = capa.gradCheck(f, [x, w]);
    expect(r.maxError).toBeLessThan(2e-2);
  });
});

describe('random generation', () => {
  it('is reproducible from a seed', () => {
    capa.setSeed(42);
    const a = capa.randomNormal([10]).dataSync();
    capa.setSeed(42);
    const b = capa.randomNormal([10]).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(capa.randomUniform([5], { seed: 7 }).dataSync())).toEqual(
      Array.from(capa.randomUniform([5], { seed: 7 }).dataSync()),
    );
  });
});

function naiveMatmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const c = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) c[i * n + j] += (a[i * k + p] as number) * (b[p * n + j] as number);
  return c;
}
