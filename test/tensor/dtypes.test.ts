/** int32 stays int32 where the math allows it, float32 everywhere else, on every backend. */
import { expect, it } from 'vitest';
import * as capa from '../../src/index.js';
import { describeEachBackend } from '../helpers/backends.js';

const { ops } = capa;

describeEachBackend('dtypes', () => {
  const i = capa.tensor([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
  const f = capa.tensor([0.5, 1.5, 2.5], [3]);

  it('keeps int32 through integer arithmetic and data movement', () => {
    for (const t of [
      ops.add(i, i),
      ops.sub(i, 1),
      ops.mul(i, 2),
      ops.div(i, 2),
      ops.neg(i),
      ops.abs(i),
      ops.square(i),
      ops.maximum(i, 3),
      ops.sum(i, 0),
      ops.max(i),
      ops.transpose(i),
      ops.reshape(i, [3, 2]),
      ops.slice(i, [0, 1], [2, 2]),
      ops.concat([i, i], 1),
      ops.stack([i, i]),
      ops.pad(i, [
        [1, 0],
        [0, 1],
      ]),
      ops.tile(i, [2, 1]),
      ops.gather(i, [1, 0]),
      ops.broadcastTo(capa.tensor([7], [1], 'int32'), [2, 2]),
      ops.where(ops.greater(i, 2), i, 0),
      ops.argmax(f),
      ops.equal(f, 1.5),
    ]) {
      expect(t.dtype).toBe('int32');
    }
    expect(Array.from(ops.div(i, 2).dataSync())).toEqual([0, 1, 1, 2, 2, 3]);
    expect(Array.from(ops.sum(i, 0).dataSync())).toEqual([5, 7, 9]);
  });

  it('computes in float32 when any operand is float or the op is not integral', () => {
    for (const t of [
      ops.add(i, f),
      ops.mul(i, 0.5),
      ops.mean(i),
      ops.exp(i),
      ops.sqrt(i),
      ops.softmax(i),
      ops.matmul(i, ops.transpose(i)),
    ]) {
      expect(t.dtype).toBe('float32');
    }
    expect(ops.mean(i).item()).toBeCloseTo(3.5);
    expect(ops.cast(f, 'int32').dtype).toBe('int32');
    expect(ops.oneHot([1], 3, { dtype: 'int32' }).dtype).toBe('int32');
  });

  it('stores int32 exactly beyond float32 precision', () => {
    const big = capa.tensor([16777217, -16777217], [2], 'int32');
    expect(Array.from(ops.add(big, 0).dataSync())).toEqual([16777217, -16777217]);
  });
});
