/** Batched matmul with an optional fused bias and activation, over the packed gemm. */
import type { MatmulArgs } from '../backend.js';
import { gemm, packPanels } from './gemm.js';
import { applyActivationInPlace } from './unary.js';

export function matmul(a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs): void {
  const { batch, m, n, k, transposeA, transposeB, aBatchStride, bBatchStride, bias: biasStorage, activation } = args;
  const bias = biasStorage as Float32Array | undefined;
  if (bBatchStride === 0 && !transposeA && aBatchStride === m * k) {
    // one B for every batch (a Dense kernel on a 3-D input): the batches stack into one tall product
    gemm(false, transposeB, batch * m, n, k, a, 0, b, 0, out, 0, false);
  } else {
    // a B shared by every batch is packed once
    const sharedB = bBatchStride === 0 && batch > 1 && k > 0 ? packPanels(b, 0, n, k, !transposeB) : undefined;
    for (let bi = 0; bi < batch; bi++) {
      gemm(transposeA, transposeB, m, n, k, a, bi * aBatchStride, b, bi * bBatchStride, out, bi * m * n, false, sharedB);
    }
  }
  if (bias) {
    for (let r = 0, rows = batch * m; r < rows; r++) {
      const o = r * n;
      for (let j = 0; j < n; j++) out[o + j] = (out[o + j] as number) + (bias[j] as number);
    }
  }
  if (activation) applyActivationInPlace(activation, out);
}
