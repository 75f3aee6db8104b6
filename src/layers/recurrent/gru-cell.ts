/**
 * GRUCell (Keras's), gates in Keras's order z, r, h. With `resetAfter` (Keras 3's default, and
 * cuDNN's form) the reset gate multiplies the recurrent product after it is taken, and the bias is
 * [2, 3·units] (input bias, recurrent bias):
 *   x_* = x·kernel + b_in;  r_* = h_prev·recurrent_kernel + b_rec;
 *   z = σ(x_z + r_z);  r = σ(x_r + r_r);  hh = tanh(x_h + r·r_h).
 * Without it (Keras 2's and TensorFlow.js's form) the bias is [3·units] and
 *   hh = tanh(x_h + (r·h_prev)·recurrent_kernel_h).
 * Both end with h = z·h_prev + (1 - z)·hh.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
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

export interface GRUCellArgs extends LayerArgs, CellOptions {
  /** Apply the reset gate after the recurrent product (Keras 3's default true). */
  resetAfter?: boolean;
}

export class GRUCell extends DropoutCell {
  static override readonly className: string = 'GRUCell';
  readonly options: ResolvedCellOptions;
  readonly resetAfter: boolean;

  constructor(units: number, args: GRUCellArgs = {}) {
    super(units, args, 'GRUCell');
    this.options = resolveCellOptions(args, 'GRUCell');
    this.resetAfter = args.resetAfter ?? true;
  }

  get stateSize(): number[] {
    return [this.units];
  }

  override build(inputShape: SymbolicShape): void {
    const u = this.units;
    const biasShape = this.resetAfter ? [2, 3 * u] : [3 * u];
    this.weightsOf = addCellWeights(this, cellInputDim(inputShape, this.name), u, 3, this.options, biasShape);
  }

  /** The input and recurrent biases ([3U] each; the recurrent one null without resetAfter or bias). */
  biases(): { input: Tensor | null; recurrent: Tensor | null } {
    const bias = this.weightsOf?.bias ?? null;
    if (!bias) return { input: null, recurrent: null };
    if (!this.resetAfter) return { input: bias, recurrent: null };
    const [input, recurrent] = ops.unstack(bias, 0) as [Tensor, Tensor];
    return { input, recurrent };
  }

  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    const [x, hPrev] = inputs as [Tensor, Tensor];
    const { kernel, recurrentKernel } = this.weightsOf as CellWeights;
    const training = args.training ?? false;
    const { activation, recurrentActivation } = this.options;
    const u = this.units;
    const b = this.biases();
    let xProj = ops.matmul(this.dropInput(x, training), kernel);
    if (b.input) xProj = ops.add(xProj, b.input);
    const [xz, xr, xh] = ops.split(xProj, 3, -1) as [Tensor, Tensor, Tensor];
    // Keras 3 (implementation 2) mixes the dropped previous state in the update as well
    const h = this.dropRecurrent(hPrev, training);
    let hh: Tensor;
    let z: Tensor;
    if (this.resetAfter) {
      let inner = ops.matmul(h, recurrentKernel);
      if (b.recurrent) inner = ops.add(inner, b.recurrent);
      const [rz, rr, rh] = ops.split(inner, 3, -1) as [Tensor, Tensor, Tensor];
      z = recurrentActivation.apply(ops.add(xz, rz));
      const r = recurrentActivation.apply(ops.add(xr, rr));
      hh = activation.apply(ops.add(xh, ops.mul(r, rh)));
    } else {
      const [kzr, kh] = ops.split(recurrentKernel, [2 * u, u], -1) as [Tensor, Tensor];
      const zr = ops.matmul(h, kzr);
      const [rz, rr] = ops.split(zr, 2, -1) as [Tensor, Tensor];
      z = recurrentActivation.apply(ops.add(xz, rz));
      const r = recurrentActivation.apply(ops.add(xr, rr));
      hh = activation.apply(ops.add(xh, ops.matmul(ops.mul(r, h), kh)));
    }
    const hNew = ops.add(ops.mul(z, h), ops.mul(ops.sub(1, z), hh));
    return [hNew, hNew];
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    const batch = inputShapes[0]?.[0] ?? null;
    return [
      [batch, this.units],
      [batch, this.units],
    ];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), units: this.units, ...cellOptionsConfig(this.options, true), reset_after: this.resetAfter };
  }

  static override fromConfig(config: ConfigDict): GRUCell {
    const owner = 'GRUCell.fromConfig';
    return new GRUCell(configNumber(config, 'units', owner), {
      ...baseArgsFromConfig(config, owner),
      ...cellOptionsFromConfig(config, owner),
      // Keras 2 files written before reset_after existed computed without it
      resetAfter: configBoolean(config, 'reset_after', owner, false),
    });
  }
}
