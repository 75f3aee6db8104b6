/**
 * Sequential: a linear stack of layers, built on the functional Model. When the first layer
 * declares its input (`inputShape`, `inputDim`) the graph is built as layers are added, like
 * Keras; otherwise it is built lazily on `build(shape)` or on the first call with data.
 */
import { InputLayer } from '../layers/core/input-layer.js';
import type { ConfigDict } from '../layers/engine/config.js';
import { type CallArgs, Layer, type LayerClass } from '../layers/engine/layer.js';
import { setKerasMask } from '../layers/engine/masking.js';
import { formatPythonShape, type SymbolicShape, SymbolicTensor } from '../layers/engine/symbolic.js';
import type { ConfigFormat } from '../layers/serialization.js';
import type { Tensor } from '../tensor/tensor.js';
import { sequentialConfig, sequentialFromConfig } from './config.js';
import { Model } from './functional.js';
import { toInputDtype } from './input-dtypes.js';
import { runWithRecycler } from './recycling.js';

export interface SequentialArgs {
  /** The layers; the first may be `Input(...)`'s tensor, as in Keras 3 (`[Input({ shape }), ...]`). */
  layers?: (Layer | SymbolicTensor)[];
  name?: string;
  trainable?: boolean;
}

export class Sequential extends Model {
  static override readonly className: string = 'Sequential';

  /** The added layers, without the InputLayer (Keras's `model.layers`). */
  private stack: Layer[] = [];
  /** The InputLayer feeding the chain (declared, or made from the first layer's input shape). */
  private entry: InputLayer | null = null;
  /** Output of each stacked layer's call in this model's graph, parallel to `stack`. */
  private chain: SymbolicTensor[] = [];
  /** The names in `stack`, so `add` checks uniqueness without scanning the stack. */
  private names = new Set<string>();

  /** `new Sequential([layers], { name })` or `new Sequential({ layers, name })`. */
  constructor(layers?: (Layer | SymbolicTensor)[] | SequentialArgs, options: { name?: string; trainable?: boolean } = {}) {
    const args: SequentialArgs = Array.isArray(layers) ? { ...options, layers } : { ...options, ...(layers ?? {}) };
    super({ name: args.name, trainable: args.trainable });
    this.built = false;
    for (const layer of args.layers ?? []) this.add(layer);
  }

  /** Appends a layer; builds it right away when the model's input is known. */
  add(added: Layer | SymbolicTensor): void {
    // Keras 3 takes `keras.Input(...)` here and uses the InputLayer behind it
    const layer = added instanceof SymbolicTensor && added.sourceLayer instanceof InputLayer ? added.sourceLayer : added;
    if (!(layer instanceof Layer)) {
      throw new Error(
        `Sequential.add: the added layer must be an instance of class Layer. Received: ${String(layer)} (${typeof layer}).`,
      );
    }
    if (layer instanceof InputLayer) {
      if (this.entry || this.stack.length > 0) {
        throw new Error(`Sequential "${this.name}": an InputLayer can only be added first, before any other layer.`);
      }
      this.entry = layer;
      this.connect();
      return;
    }
    if (this.names.has(layer.name) || layer.name === this.entry?.name) {
      const which = this.stack.includes(layer) ? 'is already in the model' : 'has the name of a layer already in the model';
      throw new Error(
        `Sequential "${this.name}": layer "${layer.name}" ${which}. All layers added to a Sequential model should have unique names.`,
      );
    }
    this.stack.push(layer);
    this.names.add(layer.name);
    try {
      const firstShape = this.stack.length === 1 ? knownInputShape(layer) : null;
      if (!this.entry && firstShape) {
        // Keras 2 names the automatic input after the first layer: `dense_1_input`.
        this.entry = new InputLayer({ batchShape: firstShape, name: `${layer.name}_input` });
      }
      if (this.entry) this.connect();
    } catch (error) {
      this.stack.pop();
      this.names.delete(layer.name);
      if (this.stack.length === 0 && this.chain.length === 0 && knownInputShape(layer)) this.entry = null;
      throw error;
    }
  }

  /** Removes the last layer (Keras's `pop`). */
  pop(): Layer {
    const layer = this.stack.pop();
    if (!layer) throw new Error(`Sequential "${this.name}": there are no layers in the model.`);
    this.names.delete(layer.name);
    if (this.chain.length > this.stack.length) {
      const removed = this.chain.pop() as SymbolicTensor;
      // Forget the dropped call in the previous layer's outbound list.
      const node = layer.inboundNodes[removed.nodeIndex];
      const previous = this.chain[this.chain.length - 1]?.sourceLayer ?? this.entry;
      if (node && previous) {
        const i = previous.outboundNodes.indexOf(node);
        if (i >= 0) previous.outboundNodes.splice(i, 1);
      }
    }
    if (this.entry) this.initGraph([this.entry.output], [this.chain[this.chain.length - 1] ?? this.entry.output], true);
    return layer;
  }

  /** Builds the model for an input shape with its batch axis, e.g. `build([null, 100])`. */
  override build(inputShape: SymbolicShape): void {
    if (!Array.isArray(inputShape))
      throw new Error(`Sequential.build: expected a shape array such as [null, 100], received ${String(inputShape)}.`);
    if (this.entry) {
      const own = this.entry.batchShape;
      const fits =
        own.length === inputShape.length && own.every((d, i) => d === null || inputShape[i] === null || d === inputShape[i]);
      if (!fits) {
        throw new Error(
          `Sequential "${this.name}" was built for input shape ${formatPythonShape(own)}; it cannot be rebuilt for ${formatPythonShape(inputShape)}.`,
        );
      }
      return;
    }
    const first = this.stack[0];
    if (!first) throw new Error(`Sequential "${this.name}": add layers before building the model.`);
    this.entry = new InputLayer({ batchShape: inputShape, name: `${first.name}_input` });
    this.connect();
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    this.build(this.single(inputShapes, 'build'));
  }

  /**
   * Applies the stacked layers not yet in this model's graph and moves the graph's output to
   * the last one; the graph is mapped on first use, so n `add`s cost O(n), not O(n^2).
   */
  private connect(): void {
    const input = this.entry as InputLayer;
    let x = this.chain[this.chain.length - 1] ?? input.output;
    for (let i = this.chain.length; i < this.stack.length; i++) {
      const layer = this.stack[i] as Layer;
      const outs = layer.applyMulti(x);
      if (outs.length !== 1) {
        throw new Error(
          `All layers in a Sequential model should have a single output tensor; layer "${layer.name}" has ${outs.length}. For multi-output layers, use the functional API.`,
        );
      }
      x = outs[0] as SymbolicTensor;
      this.chain.push(x);
    }
    this.initGraph([input.output], [x], true);
  }

  protected override buildsOwnGraph(): boolean {
    return true;
  }

  override get layers(): Layer[] {
    return this.stack.slice();
  }

  override subLayers(): Layer[] {
    return this.stack.slice();
  }

  /** The InputLayer in front of the stack, once known. */
  get inputLayer(): InputLayer | null {
    return this.entry;
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    let shape = this.single(inputShapes, 'computeOutputShape');
    for (const layer of this.stack) shape = layer.computeOutputShapeMulti([shape])[0] as SymbolicShape;
    return [shape];
  }

  /**
   * Runs the layers in order (building the model from the data if needed). At inference each
   * intermediate's storage goes back to the pool once the next layer ran (models/recycling.ts).
   */
  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    const input = this.single(inputs, 'call');
    return runWithRecycler(this, (recycler) => {
      // data enters in the declared Input's dtype (int32 ids, bool masks), as in a functional model
      let x = this.entry ? toInputDtype(input, this.entry.output, this.name) : input;
      const mask = args.masks?.[0] ?? null;
      if (mask) setKerasMask(x, mask);
      recycler?.hold(x);
      // each layer reads the mask attached to its input: the model's call masks are not passed down
      const layerArgs: CallArgs = { training: args.training };
      for (const layer of this.stack) {
        const y = layer.applyEager([x], layerArgs)[0] as Tensor;
        recycler?.hold(y);
        recycler?.release(x);
        x = y;
      }
      return [x];
    });
  }

  override configFor(format: ConfigFormat): ConfigDict {
    return sequentialConfig(this, format);
  }

  static override fromConfig(config: ConfigDict, customObjects?: Readonly<Record<string, LayerClass>>): Sequential {
    const name = typeof config.name === 'string' ? config.name : undefined;
    // Like Keras, the model's own flag is restored without touching its layers' flags.
    const trainable = typeof config.trainable === 'boolean' ? config.trainable : undefined;
    return sequentialFromConfig(config, new Sequential({ name, trainable }), customObjects);
  }
}

/**
 * The input shape a first layer already knows: its `inputShape` option, or, for a model used as
 * the first layer (a pretrained base), the shape of its single input, as Keras 3 builds then too.
 */
function knownInputShape(layer: Layer): SymbolicShape | null {
  if (layer.batchInputShape) return layer.batchInputShape;
  if (layer instanceof Model && layer.inputs.length === 1) return (layer.inputs[0] as SymbolicTensor).shape;
  return null;
}
