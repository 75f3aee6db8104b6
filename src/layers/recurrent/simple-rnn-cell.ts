/** SimpleRNNCell (Keras's): h = activation(x·kernel + bias + h_prev·recurrent_kernel). */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import {
  type CellOptions,
  cellOptionsConfig,
  cellOptionsFromConfig,
  type ResolvedCellOptions,
  resolveCellOptions,
} from './cell-options.js';
import { addCellWeights, type CellWeights, cellInputDim } from './cell-weights.js';
import { DropoutCell } from './dropout-cell.js';

export type SimpleRNNCellArgs = LayerArgs & Omit<CellOptions, 'recurrentActivation'>;

export class SimpleRNNCell extends DropoutCell {
  static override readonly className: string = 'SimpleRNNCell';
  readonly options: ResolvedCellOptions;

  constructor(units: number, args: SimpleRNNCellArgs = {}) {
    super(units, args, 'SimpleRNNCell');
    this.options = resolveCellOptions(args, 'SimpleRNNCell');
  }

  get stateSize(): number[] {
    return [this.units];
  }

  override build(inputShape: SymbolicShape): void {
    this.weightsOf = addCellWeights(this, cellInputDim(inputShape, this.name), this.units, 1, this.options);
  }

  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    const [x, h] = inputs as [Tensor, Tensor];
    const { kernel, recurrentKernel, bias } = this.weightsOf as CellWeights;
    const training = args.training ?? false;
    let z = ops.matmul(this.dropInput(x, training), kernel);
    if (bias) z = ops.add(z, bias);
    const out = this.options.activation.apply(ops.add(z, ops.matmul(this.dropRecurrent(h, training), recurrentKernel)));
    return [out, out];
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    const batch = inputShapes[0]?.[0] ?? null;
    return [
      [batch, this.units],
      [batch, this.units],
    ];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), units: this.units, ...cellOptionsConfig(this.options, false) };
  }

  static override fromConfig(config: ConfigDict): SimpleRNNCell {
    const owner = 'SimpleRNNCell.fromConfig';
    return new SimpleRNNCell(configNumber(config, 'units', owner), {
      ...baseArgsFromConfig(config, owner),
      ...cellOptionsFromConfig(config, owner),
    });
  }
}
