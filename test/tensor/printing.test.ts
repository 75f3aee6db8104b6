import { describe, expect, it } from 'vitest';
import * as capa from '../../src/index.js';

describe('tensor printing', () => {
  it('shows shape, dtype and aligned nested rows', () => {
    expect(
      capa
        .tensor([
          [1, 2],
          [3, 4],
        ])
        .toString(),
    ).toBe('Tensor(shape=[2, 2], dtype=float32)\n[[1., 2.],\n [3., 4.]]');
    expect(
      capa
        .tensor([
          [1.5, -2.25],
          [3, 400000],
        ])
        .toString(),
    ).toBe('Tensor(shape=[2, 2], dtype=float32)\n[[    1.5,   -2.25],\n [     3., 400000.]]');
  });

  it('prints int32 without decimal points and scalars bare', () => {
    expect(capa.tensor([1, -2, 3], [3], 'int32').toString()).toBe('Tensor(shape=[3], dtype=int32)\n[ 1, -2,  3]');
    expect(capa.scalar(2.5).toString()).toBe('Tensor(shape=[], dtype=float32)\n2.5');
  });

  it('separates blocks of rank-3 tensors by a blank line', () => {
    const s = capa.range(0, 8).reshape([2, 2, 2]).toString();
    expect(s).toBe('Tensor(shape=[2, 2, 2], dtype=float32)\n[[[0., 1.],\n  [2., 3.]],\n\n [[4., 5.],\n  [6., 7.]]]');
  });

  it('elides the middle of long axes and spells special values', () => {
    const s = capa.range(0, 2000).reshape([2, 1000]).toString();
    expect(s).toContain('[   0.,    1.,    2., ...,  997.,  998.,  999.]');
    expect(s.split('\n')).toHaveLength(3);
    expect(capa.tensor([1e-6, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]).toString()).toContain(
      '[1.0000e-6,       nan,       inf,      -inf]',
    );
  });

  it('is what console.log and util.inspect show', async () => {
    const { inspect } = await import('node:util');
    const t = capa.tensor([1, 2]);
    expect(inspect(t)).toBe(t.toString());
  });
});
