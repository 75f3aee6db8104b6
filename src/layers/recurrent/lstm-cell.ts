/**
 * LSTMCell (Keras's), gates in Keras's order i, f, c, o:
 *   z = x·kernel + h_prev·recurrent_kernel + bias, split in four;
 *   c = σ(z_f)·c_prev + σ(z_i)·tanh(z_c);  h = σ(z_o)·tanh(c)   (σ = recurrentActivation).
 * `unitForgetBias` starts the forget gate's bias at 1 (Keras's default).
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configBoolean, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { Initializer } from '../initializers/index.js';
import {
  type CellOptions,
  cellOptionsConfig,
  cellOptionsFromConfig,
  type ResolvedCellOptions,
  resolveCellOptions,
} from './cell-options.js';
import { addCellWeights, type CellWeights, cellInputDim } from './cell-weights.js';
import { DropoutCell } from './dropout-cell.js';

export interface LSTMCellArgs extends LayerArgs, CellOptions {
  /** Add 1 to the forget gate's initial bias (Keras's default true). */
  unitForgetBias?: boolean;
}

/** Keras's LSTM bias initializer with unit_forget_bias: [init(units), ones(units), init(2·units)]. */
class UnitForgetBias extends Initializer {
  readonly className = 'UnitForgetBias';
  constructor(
    private readonly base: Initializer,
    private readonly units: number,
  ) {
    super();
  }
  generate(_shape: readonly number[]): Float32Array {
    const u = this.units;
    const out = new Float32Array(4 * u);
    out.set(this.base.generate([u]), 0);
    out.fill(1, u, 2 * u);
    out.set(this.base.generate([2 * u]), 2 * u);
    return out;
  }
  getConfig(): ConfigDict {
    return this.base.getConfig();
  }
}

export class LSTMCell extends DropoutCell {
  static override readonly className: string = 'LSTMCell';
  readonly options: ResolvedCellOptions;
  readonly unitForgetBias: boolean;

  constructor(units: number, args: LSTMCellArgs = {}) {
    super(units, args, 'LSTMCell');
    this.options = resolveCellOptions(args, 'LSTMCell');
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  /** [h, c]. */
  get stateSize(): number[] {
    return [this.units, this.units];
  }

  override build(inputShape: SymbolicShape): void {
    const o = this.options;
    const biasInit = this.unitForgetBias ? new UnitForgetBias(o.biasInitializer, this.units) : o.biasInitializer;
    this.weightsOf = addCellWeights(this, cellInputDim(inputShape, this.name), this.units, 4, o, [4 * this.units], biasInit);
  }

  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    const [x, h, c] = inputs as [Tensor, Tensor, Tensor];
    const { kernel, recurrentKernel, bias } = this.weightsOf as CellWeights;
    const training = args.training ?? false;
    let z = ops.add(
      ops.matmul(this.dropInput(x, training), kernel),
      ops.matmul(this.dropRecurrent(h, training), recurrentKernel),
    );
    if (bias) z = ops.add(z, bias);
    const [zi, zf, zc, zo] = ops.split(z, 4, -1) as [Tensor, Tensor, Tensor, Tensor];
    const { activation, recurrentActivation } = this.options;
    const cNew = ops.add(ops.mul(recurrentActivation.apply(zf), c), ops.mul(recurrentActivation.apply(zi), activation.apply(zc)));
    const hNew = ops.mul(recurrentActivation.apply(zo), activation.apply(cNew));
    return [hNew, hNew, cNew];
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    const batch = inputShapes[0]?.[0] ?? null;
    return [0, 1, 2].map(() => [batch, this.units]);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      ...cellOptionsConfig(this.options, true),
      unit_forget_bias: this.unitForgetBias,
    };
  }

  static override fromConfig(config: ConfigDict): LSTMCell {
    const owner = 'LSTMCell.fromConfig';
    return new LSTMCell(configNumber(config, 'units', owner), {
      ...baseArgsFromConfig(config, owner),
      ...cellOptionsFromConfig(config, owner),
      unitForgetBias: configBoolean(config, 'unit_forget_bias', owner, true),
    });
  }
}
