/**
 * Keras's functional merge forms: `layers.add([a, b])` is `Add()([a, b])` and
 * `layers.concatenate([a, b], axis)` is `Concatenate(axis)([a, b])`, on SymbolicTensors (building a
 * graph) or Tensors (computing).
 */
import type { Tensor } from '../../tensor/tensor.js';
import type { LayerArgs } from '../engine/layer.js';
import type { SymbolicTensor } from '../engine/symbolic.js';
import { Add, Concatenate } from './merge.js';

export function add(inputs: SymbolicTensor[], args?: LayerArgs): SymbolicTensor;
export function add(inputs: Tensor[], args?: LayerArgs): Tensor;
export function add(inputs: SymbolicTensor[] | Tensor[], args: LayerArgs = {}): SymbolicTensor | Tensor {
  return new Add(args).apply(inputs as Tensor[]);
}

export function concatenate(inputs: SymbolicTensor[], axis?: number, args?: LayerArgs): SymbolicTensor;
export function concatenate(inputs: Tensor[], axis?: number, args?: LayerArgs): Tensor;
export function concatenate(inputs: SymbolicTensor[] | Tensor[], axis = -1, args: LayerArgs = {}): SymbolicTensor | Tensor {
  return new Concatenate({ ...args, axis }).apply(inputs as Tensor[]);
}
