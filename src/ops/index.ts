/** `capa.ops`: every op as a free function. */
export * from './activations.js';
export * from './arithmetic.js';
export * from './creation.js';
export type { TensorLike } from './engine.js';
export * from './matmul.js';
export * from './reduce.js';
export * from './reshape.js';
export * from './transpose.js';
export * from './unary.js';
