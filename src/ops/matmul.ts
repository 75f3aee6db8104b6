import { record } from '../autograd/record.js';
import type { FusedActivation } from '../backend/backend.js';
import { broadcastShapes, formatShape, sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { fusedActivationGrad, parseFusedActivation } from './activations.js';
import { alloc, backendFor, castTo, expectTensor, fromValues, output, unbroadcast } from './engine.js';

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
  return record('matmul', out, [a, b], (dy) => matmulGrads(a, b, dy, options));
}

/** Gradients of C = op(A) op(B): dA = dC op(B)ᵀ (transposed back when A was), likewise dB. */
function matmulGrads(a: Tensor, b: Tensor, dy: Tensor, options: MatmulOptions): [Tensor, Tensor] {
  const { transposeA = false, transposeB = false } = options;
  const da = transposeA
    ? matmul(b, dy, { transposeA: transposeB, transposeB: true })
    : matmul(dy, b, { transposeB: !transposeB });
  const db = transposeB
    ? matmul(dy, a, { transposeA: true, transposeB: transposeA })
    : matmul(a, dy, { transposeA: !transposeA });
  return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
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
  const be = backendFor('matmul', a, b, bias);
  const out = alloc(be, 'float32', outShape);
  const fa = castTo(a, 'float32');
  const fb = castTo(b, 'float32');
  be.matmul(fa.storage, fb.storage, out, {
    batch,
    m: m as number,
    n: n as number,
    k: ka as number,
    transposeA,
    transposeB,
    aBatchStride: aMats === 1 ? 0 : (m as number) * (ka as number),
    bBatchStride: bMats === 1 ? 0 : (kb as number) * (n as number),
    bias: bias ? castTo(bias, 'float32').storage : undefined,
    activation,
  });
  return output(be, out, outShape, 'float32');
}

function broadcastBatch(x: Tensor, batchShape: readonly number[]): Tensor {
  const shape = [...batchShape, ...x.shape.slice(-2)];
  const be = backendFor('matmul', x);
  const out = alloc(be, 'float32', shape);
  const zero = fromValues(new Float32Array(1), []);
  be.binary('add', castTo(x, 'float32').storage, x.shape, zero.storage, [], out, shape);
  return output(be, out, shape, 'float32');
}

export interface FusedMatmulArgs extends MatmulOptions {
  a: Tensor;
  b: Tensor;
  /** Added to every row of the product before the activation: [n] (any shape of that size). */
  bias?: Tensor | null;
  activation?: FusedActivation;
}

/** act(matmul(a, b) + bias) with the bias and activation applied in the kernel's store (Dense's forward). */
export function fusedMatmul(args: FusedMatmulArgs): Tensor {
  const { a, b, bias = null } = args;
  expectTensor(a, 'fusedMatmul', 'a');
  expectTensor(b, 'fusedMatmul', 'b');
  const activation = parseFusedActivation(args.activation, 'fusedMatmul');
  const options = { transposeA: args.transposeA ?? false, transposeB: args.transposeB ?? false };
  const n = b.shape[options.transposeB ? b.rank - 2 : b.rank - 1];
  if (bias !== null) {
    expectTensor(bias, 'fusedMatmul', 'bias');
    if (bias.size !== n || (bias.rank > 0 && bias.shape[bias.rank - 1] !== n)) {
      throw new Error(
        `fusedMatmul: bias has shape ${formatShape(bias.shape)} but the product of ${formatShape(a.shape)} and ${formatShape(b.shape)} has ${n} columns.`,
      );
    }
  }
  const y = matmulForward(a, b, options, bias ?? undefined, activation);
  const inputs = bias ? [a, b, bias] : [a, b];
  return record('fusedMatmul', y, inputs, (dy) => {
    const dz = fusedActivationGrad(activation, y, dy);
    const [da, db] = matmulGrads(a, b, dz, options);
    let dBias: Tensor | null = null;
    if (bias?.requiresGrad) {
      const be = backendFor('fusedMatmul gradient', dz);
      const sums = alloc(be, 'float32', [n as number]);
      be.reduce(
        'sum',
        dz.storage,
        dz.shape,
        dz.shape.slice(0, -1).map((_, i) => i),
        sums,
      );
      dBias = output(be, sums, bias.shape, 'float32');
    }
    return [da, db, dBias];
  });
}
