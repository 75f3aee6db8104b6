/**
 * Op workloads any backend must agree with the js backend on (broadcasting, reductions, matmul,
 * conv, softmax, pooling, layout, a small convnet whose weights are made on the backend), shared by
 * the backend contract tests: backend-storage.test.ts (a boxed backend) and webgpu-ops.test.ts.
 */
import { expect } from 'vitest';
import * as capa from '../../src/index.js';

const { ops } = capa;

/** Values of fixed, irregular shape so broadcasting and reductions are exercised. */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(seed * 31 + i * 1.7) * 2;
  return out;
}

/** A workload: builds its inputs with `t` (fresh tensors on the current backend) and returns one output. */
export type BackendCase = [string, (t: (v: Float32Array, shape: number[]) => capa.Tensor) => capa.Tensor];

export const backendCases: BackendCase[] = [
  ['add with broadcast', (t) => ops.add(t(values(24, 1), [2, 3, 4]), t(values(4, 2), [4]))],
  ['mul by a scalar number', (t) => ops.mul(t(values(6, 3), [2, 3]), 2.5)],
  ['matmul', (t) => ops.matmul(t(values(12, 4), [3, 4]), t(values(20, 5), [4, 5]))],
  [
    'batched matmul, transposed B',
    (t) => ops.matmul(t(values(24, 6), [2, 3, 4]), t(values(20, 7), [5, 4]), { transposeB: true }),
  ],
  ['sum over an axis', (t) => ops.sum(t(values(24, 8), [2, 3, 4]), 1)],
  ['mean over two axes, kept', (t) => ops.mean(t(values(24, 9), [2, 3, 4]), [0, 2], true)],
  [
    'max and argmax',
    (t) => ops.add(ops.max(t(values(12, 10), [3, 4]), 1), ops.cast(ops.argmax(t(values(12, 10), [3, 4])), 'float32')),
  ],
  [
    'conv2d, same padding, strided',
    (t) =>
      ops.conv2d(t(values(2 * 5 * 5 * 3, 11), [2, 5, 5, 3]), t(values(3 * 3 * 3 * 4, 12), [3, 3, 3, 4]), {
        strides: 2,
        padding: 'same',
      }),
  ],
  ['relu then softmax', (t) => ops.softmax(ops.relu(t(values(12, 13), [3, 4])))],
  ['maxPool2d', (t) => ops.maxPool2d(t(values(1 * 4 * 4 * 2, 14), [1, 4, 4, 2]), 2)],
  ['concat and transpose', (t) => ops.transpose(ops.concat([t(values(6, 15), [2, 3]), t(values(4, 16), [2, 2])], 1))],
  [
    'a small convnet (weights made on the backend)',
    (t) => {
      capa.setSeed(7);
      const model = new capa.Sequential([
        new capa.layers.Conv2D(4, 3, { inputShape: [6, 6, 2], activation: 'relu', padding: 'same' }),
        new capa.layers.MaxPooling2D(2),
        new capa.layers.Flatten(),
        new capa.layers.Dense(3, { activation: 'softmax' }),
      ]);
      expect(model.getWeights().map((w) => w.backend)).toEqual(['conv2d', 'bias', 'dense', 'bias'].map(() => capa.getBackend()));
      return model.apply(t(values(2 * 6 * 6 * 2, 17), [2, 6, 6, 2])) as capa.Tensor;
    },
  ],
];
