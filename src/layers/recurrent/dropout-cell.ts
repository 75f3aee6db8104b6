/**
 * What the built-in cells share (Keras's DropoutRNNCell): the input and recurrent dropout masks,
 * drawn once per sequence and reused at every timestep (a fresh mask per step would not be
 * Keras's variational dropout), and the recurrent-cell contract an RNN layer drives:
 * `stateSize`, `outputSize`, `callMulti([input, ...states]) -> [output, ...newStates]`.
 */
import * as ops from '../../ops/index.js';
import { RandomGenerator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Layer, type LayerArgs } from '../engine/layer.js';
import type { ResolvedCellOptions } from './cell-options.js';
import type { CellWeights } from './cell-weights.js';

export abstract class DropoutCell extends Layer {
  readonly units: number;
  /** The size of each state tensor (Keras's `state_size`). */
  abstract readonly stateSize: number[];
  /** kernel, recurrent_kernel, bias once built. */
  weightsOf: CellWeights | null = null;
  private readonly rng: RandomGenerator | null;
  private inputMask: Tensor | null = null;
  private recurrentMask: Tensor | null = null;

  constructor(units: number, args: LayerArgs, owner: string) {
    super(args);
    if (!Number.isInteger(units) || units <= 0) {
      throw new Error(`${owner}: received an invalid value for argument \`units\`, expected a positive integer, got ${units}.`);
    }
    this.units = units;
    const seed = (args as { seed?: number | null }).seed;
    this.rng = typeof seed === 'number' ? new RandomGenerator(seed) : null;
  }

  abstract readonly options: ResolvedCellOptions;

  /** The output's last axis (Keras's `output_size`). */
  get outputSize(): number {
    return this.units;
  }

  /** `x` times this sequence's input-dropout mask in training (the same mask at every step). */
  protected dropInput(x: Tensor, training: boolean): Tensor {
    const mask = this.inputDropoutMask(x, training);
    return mask ? ops.mul(x, mask) : x;
  }

  /** This sequence's input-dropout mask for a step input like `x` ([batch, features]); null when nothing drops. */
  inputDropoutMask(x: Tensor, training: boolean): Tensor | null {
    if (!training || this.options.dropout === 0) return null;
    this.inputMask ??= this.drawMask(x, this.options.dropout);
    return this.inputMask;
  }

  /** `h` times this sequence's recurrent-dropout mask in training. */
  protected dropRecurrent(h: Tensor, training: boolean): Tensor {
    if (!training || this.options.recurrentDropout === 0) return h;
    this.recurrentMask ??= this.drawMask(h, this.options.recurrentDropout);
    return ops.mul(h, this.recurrentMask);
  }

  private drawMask(like: Tensor, rate: number): Tensor {
    return ops.dropout(ops.ones(like.shape), rate, { seed: this.rng ? this.rng.nextSeed() : undefined });
  }

  /** Forgets the masks, so the next sequence draws new ones (the RNN layer calls it around each sequence). */
  resetDropoutMasks(): void {
    this.inputMask = null;
    this.recurrentMask = null;
  }
}
