/** NumPy's legacy RandomState shuffle (numbers printed by NumPy: tools/ not needed for two lines). */
import { expect, it } from 'vitest';
import { NumpyRandomState } from '../../src/datasets/numpy-random.js';

it('shuffles as np.random.RandomState(113).shuffle does', () => {
  // python3 -c "import numpy as np; r=np.random.RandomState(113); a=np.arange(10); r.shuffle(a); print(a); b=np.arange(7); r.shuffle(b); print(b)"
  const rng = new NumpyRandomState(113);
  expect(Array.from(rng.permutation(10))).toEqual([9, 3, 6, 1, 0, 7, 4, 8, 2, 5]);
  expect(Array.from(rng.permutation(7))).toEqual([5, 1, 0, 3, 6, 4, 2]);
});
