/**
 * Bidirectional (Keras's): runs a recurrent layer forwards and a copy of it backwards over the
 * same sequence and merges the two outputs ('concat' default, 'sum', 'mul', 'ave', or null for
 * both outputs as a list). The copies are rebuilt from the layer's config (named `forward_<name>`
 * and `backward_<name>`), so the given layer's weights are not shared, as in Keras. Initial
 * states: the first half go to the forward layer, the second half to the backward one.
 */
import * as ops from '../../ops/index.js';
import { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict } from '../engine/config.js';
import { isConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs, type LayerClass } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { deserializeLayer } from '../registry.js';
import { serializeLayer } from '../serialization.js';
import { nestedLayerConfig } from './nested-config.js';
import { RNN } from './rnn.js';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;

export interface BidirectionalArgs extends LayerArgs {
  mergeMode?: MergeMode;
  /** A layer to run backwards instead of a copy of `layer` (it must have goBackwards: true). */
  backwardLayer?: RNN;
}

const MERGE_MODES: readonly MergeMode[] = ['concat', 'sum', 'mul', 'ave', null];

/** A copy of an RNN layer from its config, with another name and direction. */
function copyOf(layer: RNN, name: string, goBackwards: boolean): RNN {
  const serialized = serializeLayer(layer, 'keras3');
  const config = { ...(serialized.config as ConfigDict), name, go_backwards: goBackwards };
  return deserializeLayer({ ...serialized, config, build_config: null }) as RNN;
}

const withoutPrefix = (name: string, prefix: string): string => (name.startsWith(prefix) ? name.slice(prefix.length) : name);

export class Bidirectional extends Layer {
  static override readonly className: string = 'Bidirectional';
  protected override readonly acceptsInitialState = true;
  protected override readonly supportsMasking = true;
  // snake_case fields: Keras 3 stores the weights under these attribute names in .keras files
  readonly forward_layer: RNN;
  readonly backward_layer: RNN;
  readonly mergeMode: MergeMode;

  constructor(layer: RNN, args: BidirectionalArgs = {}) {
    super(args);
    if (!(layer instanceof RNN)) {
      throw new Error(
        `Bidirectional: please initialize it with a recurrent layer (an RNN, LSTM, GRU, ...). Received: ${String(layer)}`,
      );
    }
    const mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(mergeMode)) {
      throw new Error(
        `Bidirectional: invalid merge mode. Received: ${JSON.stringify(mergeMode)}. Merge mode should be one of "sum", "mul", "ave", "concat", null.`,
      );
    }
    this.mergeMode = mergeMode;
    this.forward_layer = copyOf(layer, `forward_${withoutPrefix(layer.name, 'forward_')}`, layer.goBackwards);
    const backward =
      args.backwardLayer ?? copyOf(layer, `backward_${withoutPrefix(layer.name, 'backward_')}`, !layer.goBackwards);
    if (!(backward instanceof RNN))
      throw new Error(`Bidirectional: \`backwardLayer\` must be a recurrent layer. Received: ${String(backward)}`);
    this.backward_layer = backward;
    if (this.forward_layer.goBackwards === backward.goBackwards) {
      throw new Error(
        `Bidirectional: forward layer and backward layer should have different \`goBackwards\` values. Received: forward_layer.goBackwards=${this.forward_layer.goBackwards}, backward_layer.goBackwards=${backward.goBackwards}`,
      );
    }
    for (const key of ['stateful', 'returnSequences', 'returnState'] as const) {
      if (this.forward_layer[key] !== backward[key]) {
        throw new Error(
          `Bidirectional: forward layer and backward layer are expected to have the same value for attribute "${key}", got "${this.forward_layer[key]}" for forward layer and "${backward[key]}" for backward layer`,
        );
      }
    }
    // Keras forces zero outputs at masked steps when returning sequences, so both directions line up
    this.forward_layer.zeroOutputForMask = this.forward_layer.returnSequences;
    this.backward_layer.zeroOutputForMask = backward.returnSequences;
  }

  get forwardLayer(): RNN {
    return this.forward_layer;
  }

  get backwardLayer(): RNN {
    return this.backward_layer;
  }

  get returnSequences(): boolean {
    return this.forward_layer.returnSequences;
  }

  get returnState(): boolean {
    return this.forward_layer.returnState;
  }

  get stateful(): boolean {
    return this.forward_layer.stateful;
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    const sequence = inputShapes[0] as SymbolicShape;
    this.forward_layer.maybeBuild([sequence]);
    this.backward_layer.maybeBuild([sequence]);
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    const [output, ...states] = this.forward_layer.computeOutputShapeMulti([inputShapes[0] as SymbolicShape]) as [
      SymbolicShape,
      ...SymbolicShape[],
    ];
    let outputs: SymbolicShape[];
    if (this.mergeMode === 'concat') {
      const last = output[output.length - 1];
      outputs = [[...output.slice(0, -1), last === null || last === undefined ? null : 2 * last]];
    } else if (this.mergeMode === null) outputs = [output, output.slice()];
    else outputs = [output];
    return [...outputs, ...states, ...states.map((s) => s.slice())];
  }

  override computeMaskMulti(_inputs: Tensor[], masks: (Tensor | null)[]): (Tensor | null)[] {
    const mask = this.returnSequences ? (masks[0] ?? null) : null;
    const outputs = this.mergeMode === null ? [mask, mask] : [mask];
    const states = this.returnState ? this.forward_layer.stateSizes.map(() => null) : [];
    return [...outputs, ...states, ...states];
  }

  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    const [sequence, ...states] = inputs as [Tensor, ...Tensor[]];
    const half = states.length / 2;
    if (!Number.isInteger(half)) {
      throw new Error(`Layer "${this.name}": initial states come in pairs (forward, then backward); received ${states.length}.`);
    }
    const inner: CallArgs = { training: args.training, masks: [args.masks?.[0] ?? null] };
    const forward = this.forward_layer.applyMulti([sequence, ...states.slice(0, half)], inner);
    const backward = this.backward_layer.applyMulti([sequence, ...states.slice(half)], inner);
    const y = forward[0] as Tensor;
    // the backward layer outputs its sequence last step first: turn it back to line up with y
    const yRev = this.returnSequences ? reverseTime(backward[0] as Tensor) : (backward[0] as Tensor);
    return [...mergeOutputs(this.mergeMode, y, yRev), ...forward.slice(1), ...backward.slice(1)];
  }

  /** Resets both directions' states (stateful layers only). */
  resetStates(states?: readonly Tensor[]): void {
    if (!this.stateful) throw new Error(`Layer "${this.name}": resetStates() needs a stateful layer (stateful: true).`);
    const half = states ? states.length / 2 : 0;
    this.forward_layer.resetStates(states?.slice(0, half));
    this.backward_layer.resetStates(states?.slice(half));
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      merge_mode: this.mergeMode,
      layer: nestedLayerConfig(this.forward_layer),
      backward_layer: nestedLayerConfig(this.backward_layer),
    };
  }

  static override fromConfig(config: ConfigDict, customObjects?: Readonly<Record<string, LayerClass>>): Bidirectional {
    const owner = 'Bidirectional.fromConfig';
    if (!isConfigDict(config.layer)) throw new Error(`${owner}: the config has no layer.`);
    // revived unbuilt: the constructor copies it (a built one would allocate weights only to drop them)
    const layer = deserializeLayer({ ...config.layer, build_config: null }, customObjects) as RNN;
    const backwardLayer = isConfigDict(config.backward_layer)
      ? (deserializeLayer(config.backward_layer, customObjects) as RNN)
      : undefined;
    const mode = config.merge_mode;
    return new Bidirectional(layer, {
      ...baseArgsFromConfig(config, owner),
      mergeMode: mode === undefined ? 'concat' : (mode as MergeMode),
      backwardLayer,
    });
  }
}

/** Reverses the time axis (axis 1) of [batch, steps, ...]. */
function reverseTime(x: Tensor): Tensor {
  const steps = x.shape[1] as number;
  const order = new Int32Array(steps);
  for (let i = 0; i < steps; i++) order[i] = steps - 1 - i;
  return ops.gather(x, new Tensor(order, [steps]), 1);
}

function mergeOutputs(mode: MergeMode, y: Tensor, yRev: Tensor): Tensor[] {
  switch (mode) {
    case 'concat':
      return [ops.concat([y, yRev], -1)];
    case 'sum':
      return [ops.add(y, yRev)];
    case 'ave':
      return [ops.div(ops.add(y, yRev), 2)];
    case 'mul':
      return [ops.mul(y, yRev)];
    default:
      return [y, yRev];
  }
}
