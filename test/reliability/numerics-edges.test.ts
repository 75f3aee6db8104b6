/**
 * Issue 18, defect 7: wrong answers at the edges. Huge indices wrapped to 0/1 before the range
 * check, negative and fractional shapes were accepted, 'float64' was silently float32, NaN and 1e20
 * silently wrapped when stored as int32, the backends disagreed on pow(-1, ±Inf) and pow(1, NaN)
 * and on a conv input gradient through an infinite tap, and native refused zero-channel batch
 * norm and depthwise convolution. Each case runs on every engine.
 */
import { expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachEngine } from '../helpers/each-engine.js';

const { ops } = capa;
const values = (t: capa.Tensor) => Array.from(t.dataSync());

describeEachEngine('edge cases', () => {
  it('gather and oneHot check indices as numbers, before int32 could wrap them', () => {
    const x = capa.tensor([10, 20, 30]);
    expect(() => ops.gather(x, [2 ** 32])).toThrow('gather: index 4294967296 is out of range for axis 0 of size 3');
    expect(() => ops.gather(x, capa.tensor([2 ** 32 + 512]))).toThrow('gather: index 4294967808 is out of range');
    expect(() => ops.gather(x, [-1])).toThrow('gather: index -1 is out of range');
    expect(values(ops.gather(x, [2, 0]))).toEqual([30, 10]);
    // out of range gives an all-off row (TensorFlow), not the row of the wrapped index 1
    expect(values(ops.oneHot([2 ** 32 + 1, 1], 3))).toEqual([0, 0, 0, 0, 1, 0]);
    expect(values(ops.oneHot(capa.tensor([2 ** 32]), 2))).toEqual([0, 0]);
  });

  it('refuses negative, fractional and non-number dimensions, naming the dimension', () => {
    expect(() => capa.tensor([1, 2, 3, 4], [-2, -2])).toThrow('tensor: dimension 0 of shape [-2, -2] is -2');
    expect(() => capa.tensor([1, 2], [4, 0.5])).toThrow('tensor: dimension 1 of shape [4, 0.5] is 0.5');
    expect(() => capa.tensor([1], [Number.NaN])).toThrow('dimensions must be non-negative integers');
    expect(() => capa.zeros([2, -1])).toThrow('fill: dimension 1 of shape [2, -1] is -1');
    expect(() => new capa.Tensor(new Float32Array(4), [-2, -2])).toThrow('Tensor: dimension 0 of shape [-2, -2] is -2');
    expect(capa.tensor([], [0, 3]).shape).toEqual([0, 3]);
  });

  it("refuses dtypes capa does not store (a 'float64' was silently float32)", () => {
    const f64 = 'float64' as capa.DType;
    expect(() => capa.tensor([1, 2], [2], f64)).toThrow(`tensor: dtype "float64" is not supported`);
    expect(() => capa.zeros([2], f64)).toThrow(`fill: dtype "float64" is not supported`);
    expect(() => ops.oneHot([0], 2, { dtype: f64 })).toThrow(`oneHot: dtype "float64" is not supported`);
    expect(() => ops.cast(capa.tensor([1]), f64)).toThrow(/cast: dtype must be 'float32' or 'int32'/);
  });

  it('refuses NaN, ±Infinity and values beyond ±2^31 when storing int32, instead of wrapping', () => {
    for (const v of [Number.NaN, Infinity, -Infinity, 1e20, 2 ** 31, -3e9]) {
      expect(() => ops.cast(capa.tensor([1, v]), 'int32')).toThrow(
        `cast to int32: element 1 is ${Math.fround(v)}, which int32 cannot hold`,
      );
      expect(() => capa.tensor([v], [1], 'int32')).toThrow(`tensor: element 0 is ${v}, which int32 cannot hold`);
    }
    expect(values(ops.cast(capa.tensor([2147483520, -(2 ** 31), -2.7, 2.7]), 'int32'))).toEqual([2147483520, -(2 ** 31), -2, 2]);
  });

  it('pow follows C and IEEE 754 (as TensorFlow and PyTorch do) on both backends', () => {
    const base = capa.tensor([-1, -1, 1, 1, 1, Number.NaN, 2, -8, -Infinity]);
    const exp = capa.tensor([Infinity, -Infinity, Number.NaN, Infinity, -Infinity, 0, Number.NaN, 1 / 3, 0.5]);
    expect(values(ops.pow(base, exp))).toEqual([1, 1, 1, 1, 1, 1, Number.NaN, Number.NaN, Infinity]);
  });

  it('a conv input gradient through one infinite tap is infinite where it reaches, 0 elsewhere (no 0 * inf)', () => {
    const kernel = capa.tensor([0, 0, 0, Infinity], [2, 2, 1, 1]);
    for (const padding of ['same', 'valid'] as const) {
      const dx = capa.grad((x: capa.Tensor) => ops.sum(ops.conv2d(x, kernel, { padding })))(capa.ones([1, 3, 3, 1]));
      expect(values(dx), padding).toEqual([0, 0, 0, 0, Infinity, Infinity, 0, Infinity, Infinity]);
    }
  });

  it('batch norm and depthwise convolution accept zero channels, giving empty results', () => {
    expect(ops.batchNormalization(capa.zeros([2, 0]), capa.zeros([0]), capa.ones([0]), null, null).shape).toEqual([2, 0]);
    const x = capa.zeros([2, 3, 0]);
    const bn = ops.batchNormTraining(x, null, null);
    expect([bn.y.shape, bn.mean.shape]).toEqual([[2, 3, 0], [0]]);
    expect(capa.grad((t: capa.Tensor) => ops.sum(ops.batchNormTraining(t, null, null).y))(x).shape).toEqual([2, 3, 0]);
    const kernel = capa.zeros([2, 2, 0, 1]);
    const img = capa.zeros([1, 3, 3, 0]);
    expect(ops.depthwiseConv2d(img, kernel).shape).toEqual([1, 2, 2, 0]);
    expect(capa.grad((t: capa.Tensor) => ops.sum(ops.depthwiseConv2d(t, kernel)))(img).shape).toEqual([1, 3, 3, 0]);
    expect(capa.grad((k: capa.Tensor) => ops.sum(ops.depthwiseConv2d(img, k)))(kernel).shape).toEqual([2, 2, 0, 1]);
  });
});
