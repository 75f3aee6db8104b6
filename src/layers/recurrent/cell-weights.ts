/**
 * The weights every built-in cell creates, in Keras's order and layout: `kernel [input, G*units]`,
 * `recurrent_kernel [units, G*units]` and `bias` (shape chosen by the cell), G being the number of
 * gates (1 SimpleRNN, 4 LSTM i,f,c,o, 3 GRU z,r,h).
 */
import type { Variable } from '../../tensor/tensor.js';
import type { Layer } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { ResolvedCellOptions } from './cell-options.js';

export interface CellWeights {
  kernel: Variable;
  recurrentKernel: Variable;
  bias: Variable | null;
}

/** The feature size of one timestep's input; it must be known to create the kernel. */
export function cellInputDim(inputShape: SymbolicShape, layerName: string): number {
  const dim = inputShape[inputShape.length - 1];
  if (dim === null || dim === undefined) {
    throw new Error(
      `Layer "${layerName}": the last dimension of the inputs (the features) must be defined. Received: input_shape=${formatPythonShape(inputShape)}`,
    );
  }
  return dim;
}

export function addCellWeights(
  cell: Layer,
  inputDim: number,
  units: number,
  gates: number,
  o: ResolvedCellOptions,
  biasShape: readonly number[] = [gates * units],
  biasInitializer: Initializer = o.biasInitializer,
): CellWeights {
  const width = gates * units;
  const kernel = cell.addWeight('kernel', {
    shape: [inputDim, width],
    initializer: o.kernelInitializer,
    regularizer: o.kernelRegularizer,
    constraint: o.kernelConstraint,
  });
  const recurrentKernel = cell.addWeight('recurrent_kernel', {
    shape: [units, width],
    initializer: o.recurrentInitializer,
    regularizer: o.recurrentRegularizer,
    constraint: o.recurrentConstraint,
  });
  const bias = o.useBias
    ? cell.addWeight('bias', {
        shape: biasShape,
        initializer: biasInitializer,
        regularizer: o.biasRegularizer,
        constraint: o.biasConstraint,
      })
    : null;
  return { kernel, recurrentKernel, bias };
}
