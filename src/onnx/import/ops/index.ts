/** Every ONNX op capa imports, by op type; the unsupported-op error lists these keys. */
import type { OpHandler } from './common.js';
import { CONV_OPS } from './conv.js';
import { ELEMENTWISE_OPS } from './elementwise.js';
import { MATMUL_OPS, READS_FLATTENED_ORDER } from './matmul.js';
import { NORMALIZATION_OPS } from './normalization.js';
import { POOL_OPS } from './pool.js';
import { REDUCE_OPS } from './reduce.js';
import { RESIZE_OPS } from './resize.js';
import { SHAPE_OPS } from './shape.js';
import { SLICING_OPS } from './slicing.js';

export const OP_HANDLERS: Readonly<Record<string, OpHandler>> = {
  ...CONV_OPS,
  ...POOL_OPS,
  ...NORMALIZATION_OPS,
  ...ELEMENTWISE_OPS,
  ...MATMUL_OPS,
  ...SHAPE_OPS,
  ...SLICING_OPS,
  ...REDUCE_OPS,
  ...RESIZE_OPS,
};

export type { OpHandler };
export { READS_FLATTENED_ORDER };
