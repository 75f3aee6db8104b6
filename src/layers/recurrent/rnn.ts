/**
 * RNN (Keras's base recurrent layer): runs a cell over the time axis of a [batch, steps, features]
 * input. A cell is any Layer with `stateSize` (a number or one per state) and
 * `callMulti([input, ...states]) -> [output, ...newStates]` (TensorFlow.js's cell form of Keras's
 * `call(inputs, states)`); `outputSize` defaults to the first state's size.
 *
 * Options as Keras: returnSequences, returnState (outputs [output, ...finalStates]), goBackwards,
 * stateful (the final states of a batch start the next one; `resetStates()`), unroll (accepted;
 * the loop is the same). Initial states come from `apply(x, { initialState })` or as extra inputs
 * `apply([x, ...states])`; an input mask (docs/masking.md) holds the states over padded steps.
 */

import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configBoolean, isConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, type LayerClass } from '../engine/layer.js';
import { assertMaskShape } from '../engine/masking.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import { deserializeLayer } from '../registry.js';
import { DropoutCell } from './dropout-cell.js';
import { nestedLayerConfig } from './nested-config.js';
import { rnnLoop, type SequenceResult } from './rnn-loop.js';

export interface RNNArgs extends LayerArgs {
  /** Output every step's output [batch, steps, units] instead of the last [batch, units]. */
  returnSequences?: boolean;
  /** Also output the final states: [output, ...states]. */
  returnState?: boolean;
  /** Process the sequence last step first (outputs come in that order). */
  goBackwards?: boolean;
  /** Carry the final states of each batch into the next call (fixed batch size). */
  stateful?: boolean;
  /** Accepted for Keras compatibility; capa runs the same loop either way. */
  unroll?: boolean;
  /** Masked steps output zeros instead of repeating the previous output (Bidirectional sets it). */
  zeroOutputForMask?: boolean;
}

/** A Layer usable as a cell: `stateSize` plus the multi-input call. */
export type RecurrentCell = Layer & { readonly stateSize: number | readonly number[]; readonly outputSize?: number };

/** Reads a cell's state sizes, refusing a layer that is not a cell. */
export function stateSizesOf(cell: Layer, owner: string): number[] {
  const size = (cell as Partial<RecurrentCell>).stateSize;
  const sizes = typeof size === 'number' ? [size] : Array.isArray(size) ? [...size] : null;
  if (!sizes || sizes.length === 0 || sizes.some((s) => !Number.isInteger(s) || s <= 0)) {
    throw new Error(
      `${owner}: the cell "${cell.name}" (${cell.className}) needs a \`stateSize\` property (a positive integer, or one per state), received ${JSON.stringify(size)}.`,
    );
  }
  return sizes;
}

export class RNN extends Layer {
  static override readonly className: string = 'RNN';
  protected override readonly acceptsInitialState = true;
  protected override readonly supportsMasking = true;
  readonly cell: Layer;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly stateful: boolean;
  readonly unroll: boolean;
  zeroOutputForMask: boolean;
  /** A stateful layer's current states (plain tensors: they are not weights and are not saved). */
  private carried: Tensor[] | null = null;

  constructor(cell: Layer, args: RNNArgs = {}) {
    super(args);
    if (!(cell instanceof Layer)) {
      throw new Error(
        `RNN: the cell must be a Layer with \`stateSize\` and callMulti([input, ...states]), received ${String(cell)}.`,
      );
    }
    stateSizesOf(cell, `RNN "${this.name}"`);
    this.cell = cell;
    this.returnSequences = args.returnSequences ?? false;
    this.returnState = args.returnState ?? false;
    this.goBackwards = args.goBackwards ?? false;
    this.stateful = args.stateful ?? false;
    this.unroll = args.unroll ?? false;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
  }

  get stateSizes(): number[] {
    return stateSizesOf(this.cell, `RNN "${this.name}"`);
  }

  get outputSize(): number {
    const size = (this.cell as Partial<RecurrentCell>).outputSize;
    return typeof size === 'number' ? size : (this.stateSizes[0] as number);
  }

  /** Keras's error for an input that is not [batch, steps, features]. */
  protected checkSequenceShape(shape: readonly (number | null)[]): void {
    if (shape.length !== 3) {
      throw new Error(
        `Input 0 of layer "${this.name}" is incompatible with the layer: expected ndim=3 ([batch, timesteps, features]), found ndim=${shape.length}. Full shape received: ${formatPythonShape(shape)}`,
      );
    }
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    const shape = inputShapes[0] as SymbolicShape;
    this.checkSequenceShape(shape);
    if (!this.cell.built) this.cell.maybeBuild([[shape[0] ?? null, ...shape.slice(2)]]);
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    const shape = inputShapes[0] as SymbolicShape;
    this.checkSequenceShape(shape);
    const batch = shape[0] ?? null;
    const output: SymbolicShape = this.returnSequences ? [batch, shape[1] ?? null, this.outputSize] : [batch, this.outputSize];
    return this.returnState ? [output, ...this.stateSizes.map((s) => [batch, s])] : [output];
  }

  override computeMaskMulti(_inputs: Tensor[], masks: (Tensor | null)[]): (Tensor | null)[] {
    const output = this.returnSequences ? (masks[0] ?? null) : null;
    return this.returnState ? [output, ...this.stateSizes.map(() => null)] : [output];
  }

  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    const [sequence, ...given] = inputs as [Tensor, ...Tensor[]];
    this.checkSequenceShape(sequence.shape);
    const [batch, steps] = sequence.shape as [number, number];
    const mask = args.masks?.[0] ?? null;
    if (mask) assertMaskShape(mask, [batch, steps], this.name);
    const initial = given.length > 0 ? this.checkedStates(given, batch) : this.startStates(batch);
    const training = args.training ?? false;
    const cells = dropoutCellsOf(this.cell);
    for (const c of cells) c.resetDropoutMasks();
    let result: SequenceResult;
    try {
      result = this.runSequence(sequence, initial, mask, training);
    } finally {
      for (const c of cells) c.resetDropoutMasks();
    }
    if (this.stateful) this.carried = result.states.map((s) => s.clone());
    const output = this.returnSequences ? result.sequences : result.last;
    return this.returnState ? [output, ...result.states] : [output];
  }

  /** The recurrence; LSTM/GRU/SimpleRNN override it with their fused ops when they can. */
  protected runSequence(sequence: Tensor, initial: Tensor[], mask: Tensor | null, training: boolean): SequenceResult {
    const n = initial.length;
    return rnnLoop(
      (x, states) => {
        const outs = this.cell.callMulti([x, ...states], { training });
        if (outs.length !== n + 1) {
          throw new Error(
            `Layer "${this.name}": the cell "${this.cell.name}" returned ${outs.length} tensors; a cell returns [output, ...newStates] (${n + 1}).`,
          );
        }
        return { output: outs[0] as Tensor, states: outs.slice(1) };
      },
      sequence,
      initial,
      { goBackwards: this.goBackwards, mask, zeroOutputForMask: this.zeroOutputForMask },
    );
  }

  /** Given initial states must be one per state, each [batch, size]. */
  private checkedStates(states: Tensor[], batch: number): Tensor[] {
    const sizes = this.stateSizes;
    if (states.length !== sizes.length) {
      throw new Error(
        `Layer "${this.name}" expects ${sizes.length} initial state(s) (state sizes [${sizes.join(', ')}]), received ${states.length}.`,
      );
    }
    states.forEach((s, i) => {
      const want = [batch, sizes[i] as number];
      if (s.shape.length !== 2 || s.shape[0] !== want[0] || s.shape[1] !== want[1]) {
        throw new Error(
          `Layer "${this.name}": initial state ${i} should have shape [${want.join(', ')}] ([batch, units]), received [${s.shape.join(', ')}].`,
        );
      }
    });
    return states.map((s) => (s.dtype === 'float32' ? s : ops.cast(s, 'float32')));
  }

  /** Zeros, or a stateful layer's carried states. */
  private startStates(batch: number): Tensor[] {
    if (!this.stateful) return this.stateSizes.map((s) => ops.zeros([batch, s]));
    const declared = this.batchInputShape?.[0] ?? null;
    if (declared !== null && declared !== batch) {
      throw new Error(
        `Layer "${this.name}" is stateful with batch size ${declared} (from its batchInputShape), but received a batch of ${batch}.`,
      );
    }
    if (this.carried && this.carried[0]?.shape[0] !== batch) {
      throw new Error(
        `Layer "${this.name}" is stateful and holds states for a batch of ${this.carried[0]?.shape[0]}, but received a batch of ${batch}; call resetStates() to start over with another batch size.`,
      );
    }
    this.carried ??= this.stateSizes.map((s) => ops.zeros([batch, s]));
    return this.carried;
  }

  /** The carried states of a stateful layer (Keras's `layer.states`), or null before its first call. */
  get states(): Tensor[] | null {
    return this.carried ? this.carried.slice() : null;
  }

  /** Sets a stateful layer's states to zeros, or to the given values (Keras's `reset_states`). */
  resetStates(states?: readonly Tensor[]): void {
    if (!this.stateful) throw new Error(`Layer "${this.name}": resetStates() needs a stateful layer (stateful: true).`);
    if (states) {
      const batch = states[0]?.shape[0] ?? 0;
      this.carried = this.checkedStates([...states], batch).map((s) => s.clone());
    } else this.carried = null;
  }

  /** Keras 3's name for the same. */
  resetState(states?: readonly Tensor[]): void {
    this.resetStates(states);
  }

  /** The options of the base RNN config (Keras's RNN.get_config without the cell). */
  protected rnnConfig(): ConfigDict {
    return {
      return_sequences: this.returnSequences,
      return_state: this.returnState,
      go_backwards: this.goBackwards,
      stateful: this.stateful,
      unroll: this.unroll,
      zero_output_for_mask: this.zeroOutputForMask,
    };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), ...this.rnnConfig(), cell: nestedLayerConfig(this.cell) };
  }

  static override fromConfig(config: ConfigDict, customObjects?: Readonly<Record<string, LayerClass>>): RNN {
    const owner = 'RNN.fromConfig';
    if (!isConfigDict(config.cell)) throw new Error(`${owner}: the config has no cell.`);
    return new RNN(deserializeLayer(config.cell, customObjects), {
      ...baseArgsFromConfig(config, owner),
      ...rnnArgsFromConfig(config, owner),
    });
  }
}

/** The base RNN options from a Keras config. */
export function rnnArgsFromConfig(config: ConfigDict, owner: string): RNNArgs {
  return {
    returnSequences: configBoolean(config, 'return_sequences', owner, false),
    returnState: configBoolean(config, 'return_state', owner, false),
    goBackwards: configBoolean(config, 'go_backwards', owner, false),
    stateful: configBoolean(config, 'stateful', owner, false),
    unroll: configBoolean(config, 'unroll', owner, false),
    zeroOutputForMask: configBoolean(config, 'zero_output_for_mask', owner, false),
  };
}

/** The dropout cells inside a cell (itself, or a StackedRNNCells' cells). */
function dropoutCellsOf(cell: Layer): DropoutCell[] {
  if (cell instanceof DropoutCell) return [cell];
  return cell.subLayers().flatMap(dropoutCellsOf);
}
