/**
 * Numeric codes of ops as the addon knows them; mirror of native/src/types.h (change both together).
 */
import type { ActivationOp, BinaryOp, CompareOp, FusedActivation, PadMode, ReduceOp, UnaryOp } from '../backend.js';

export const unaryCodes: Record<UnaryOp, number> = {
  neg: 0,
  abs: 1,
  sign: 2,
  exp: 3,
  expm1: 4,
  log: 5,
  log1p: 6,
  sqrt: 7,
  rsqrt: 8,
  square: 9,
  reciprocal: 10,
  floor: 11,
  ceil: 12,
  round: 13,
  sin: 14,
  cos: 15,
  erf: 16,
  clip: 17,
  affine: 18,
  powScalar: 19,
  linear: 20,
  relu: 21,
  relu6: 22,
  leakyRelu: 23,
  elu: 24,
  selu: 25,
  gelu: 26,
  geluTanh: 27,
  sigmoid: 28,
  hardSigmoid: 29,
  tanh: 30,
  softplus: 31,
  softsign: 32,
  silu: 33,
};

/** Activations share the unary numbering. */
export const activationCodes: Record<ActivationOp, number> = unaryCodes;

export const binaryCodes: Record<BinaryOp, number> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  squaredDifference: 7,
  floorDiv: 8,
  mod: 9,
  atan2: 10,
};

export const compareCodes: Record<CompareOp, number> = {
  equal: 0,
  notEqual: 1,
  less: 2,
  lessEqual: 3,
  greater: 4,
  greaterEqual: 5,
  logicalAnd: 6,
  logicalOr: 7,
};

export const reduceCodes: Record<ReduceOp, number> = { sum: 0, mean: 1, max: 2, min: 3, prod: 4 };

/** The activations a GEMM/conv store applies (native Act enum). */
export const fusedCodes: Record<FusedActivation, number> = { linear: 0, relu: 1, relu6: 2, sigmoid: 3, tanh: 4 };

export const padCodes: Record<PadMode, number> = { constant: 0, reflect: 1, symmetric: 2 };
