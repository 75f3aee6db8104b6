import { record } from '../autograd/record.js';
import type { FusedActivation } from '../backend/backend.js';
import { broadcastShapes, formatShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { backend, castTo, expectTensor, unbroadcast } from './engine.js';

export interface MatmulOptions {
  transposeA?: boolean;
  transposeB?: boolean;
}

/**
 * Matrix product over the last two axes, batch axes broadcast (NumPy's matmul).
 * Rank-1 operands are not promoted: pass [1, k] or [k, 1] explicitly.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  expectTensor(a, 'matmul', 'a');
  expectTensor(b, 'matmul', 'b');
  const out = matmulForward(a, b, options);
  const { transposeA = false, transposeB = false } = options;
  return record('matmul', out, [a, b], (dy) => {
    // C = op(A) op(B): dA = dC op(B)^T (transposed back when A was), likewise dB.
    const da = transposeA
      ? matmul(b, dy, { transposeA: transposeB, transposeB: true })
      : matmul(dy, b, { transposeB: !transposeB });
    const db = transposeB
      ? matmul(dy, a, { transposeA: true, transposeB: transposeA })
      : matmul(a, dy, { transposeA: !transposeA });
    return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
  });
}

/** Forward only, with an optional bias and activation fused into the store. */
export function matmulForward(
  a: Tensor,
  b: Tensor,
  options: MatmulOptions = {},
  bias?: Tensor,
  activation?: FusedActivation,
): Tensor {
  const { transposeA = false, transposeB = false } = options;
  if (a.rank < 2 || b.rank < 2) {
    throw new Error(`matmul: both operands need rank >= 2, received shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}.`);
  }
  const [m, ka] = transposeA ? [a.shape[a.rank - 1], a.shape[a.rank - 2]] : [a.shape[a.rank - 2], a.shape[a.rank - 1]];
  const [kb, n] = transposeB ? [b.shape[b.rank - 1], b.shape[b.rank - 2]] : [b.shape[b.rank - 2], b.shape[b.rank - 1]];
  if (ka !== kb) {
    throw new Error(
      `matmul: inner dimensions do not match: ${formatShape(a.shape)}${transposeA ? 'ᵀ' : ''} by ${formatShape(b.shape)}${transposeB ? 'ᵀ' : ''} (${ka} vs ${kb}).`,
    );
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchShape = broadcastShapes(aBatch, bBatch, 'matmul');
  const batch = sizeOf(batchShape);
  const aMats = sizeOf(aBatch);
  const bMats = sizeOf(bBatch);
  if ((aMats !== batch && aMats !== 1) || (bMats !== batch && bMats !== 1)) {
    // Mixed broadcasting inside the batch axes: materialize the broadcast first.
    return matmulForward(broadcastBatch(a, batchShape), broadcastBatch(b, batchShape), options, bias, activation);
  }
  const outShape = [...batchShape, m as number, n as number];
  const out = new Float32Array(sizeOf(outShape));
  const fa = castTo(a, 'float32');
  const fb = castTo(b, 'float32');
  backend().matmul(fa.dataSync() as Float32Array, fb.dataSync() as Float32Array, out, {
    batch,
    m: m as number,
    n: n as number,
    k: ka as number,
    transposeA,
    transposeB,
    aBatchStride: aMats === 1 ? 0 : (m as number) * (ka as number),
    bBatchStride: bMats === 1 ? 0 : (kb as number) * (n as number),
    bias: bias ? (castTo(bias, 'float32').dataSync() as Float32Array) : undefined,
    activation,
  });
  return new Tensor(out, outShape);
}

function broadcastBatch(x: Tensor, batchShape: readonly number[]): Tensor {
  const shape = [...batchShape, ...x.shape.slice(-2)];
  const out = new Float32Array(sizeOf(shape));
  const zero = new Float32Array(1);
  backend().binary('add', castTo(x, 'float32').dataSync(), x.shape, zero, [], out, shape);
  return new Tensor(out, shape);
}
