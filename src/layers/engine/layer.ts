/**
 * The Layer contract (Keras's): `constructor(args)` records the options, `build(inputShape)`
 * creates the weights as Variables once the input shape is known, `call(inputs, { training })`
 * computes, `getConfig()` returns Keras's snake_case config so the layer round-trips through
 * JSON. `apply(x)` runs it: on Tensors it computes, on SymbolicTensors it records a graph node.
 */
import type { DType } from '../../tensor/dtype.js';
import { formatShape } from '../../tensor/shape.js';
import { Tensor, Variable } from '../../tensor/tensor.js';
import type { Constraint } from '../constraints.js';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';
import { AddedMetric } from './added-metric.js';
import { callContext, withCallContext } from './call-context.js';
import { type CallOptions, recordableCallOptions } from './call-options.js';
import type { ConfigDict } from './config.js';
import { checkComputeDtype, type KerasFloatName } from './dtypes.js';
import { inferOutputShapes } from './infer-shape.js';
import { assertInputCompatibility, type InputSpec } from './input-spec.js';
import { baseArgsFromConfig, declaredBatchShape, dtypePolicyConfig } from './layer-args.js';
import { getKerasMask, setKerasMask } from './masking.js';
import { toSnakeCase, uniqueName } from './naming.js';
import { firstCallTensors, Node } from './node.js';
import { formatPythonShape, type SymbolicShape, SymbolicTensor } from './symbolic.js';
import { trackedObjects } from './tracking.js';
import { checkWeightAllocation } from './weight-allocation.js';

/** Options every layer accepts (Keras's base-layer keyword arguments). */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Keras's compute dtype: 'float32' (the only one capa's kernels compute in; others are refused clearly). */
  dtype?: KerasFloatName | null;
  /** Input shape without the batch axis, for the first layer of a Sequential. */
  inputShape?: readonly (number | null)[];
  /** Shorthand for `inputShape: [inputDim]` (Keras 2's `input_dim`). */
  inputDim?: number;
  /** Fixed batch size to go with `inputShape`. */
  batchSize?: number;
  /** Full input shape including the batch axis. */
  batchInputShape?: readonly (number | null)[];
}

export interface CallArgs {
  /** Training mode: Dropout drops, BatchNormalization uses batch statistics. Default false. */
  training?: boolean;
  /**
   * The mask of a single input (Keras's `mask` call argument): `apply` fills it from the input's
   * attached mask (engine/masking.ts) unless given; layers that do not mask ignore it.
   */
  mask?: Tensor | null;
  /** The masks of every input, in input order (a list-input layer's `mask`); filled like `mask`. */
  masks?: readonly (Tensor | null)[];
  /**
   * Initial states of a recurrent layer (Keras's `initial_state`): on symbolic inputs they become
   * extra inputs of the call's node, so `layer.apply(x, { initialState })` and
   * `layer.apply([x, ...states])` are the same call.
   */
  initialState?: readonly Tensor[] | readonly SymbolicTensor[];
}

export interface AddWeightOptions {
  shape: readonly number[];
  /** The weight's name inside the layer (Keras's keyword form `addWeight({ shape, name })`); default 'variable'. */
  name?: string;
  initializer?: InitializerIdentifier | Initializer;
  regularizer?: Regularizer | null;
  constraint?: Constraint | null;
  trainable?: boolean;
}

/** What the class registry needs from a layer class. */
export interface LayerClass {
  readonly className: string;
  fromConfig(config: ConfigDict, customObjects?: Readonly<Record<string, LayerClass>>): Layer;
}

interface WeightRecord {
  regularizer: Regularizer | null;
  constraint: Constraint | null;
}

/**
 * How many `addLoss` losses are held and not yet cleared, over all layers. A count, not a set of
 * layers, so a model dropped with losses still held is not kept alive (it only keeps the count
 * above zero, which turns the fast path off, never the clearing).
 */
let pendingAddedLosses = 0;

export abstract class Layer {
  /** Keras's class name: printed by summary(), written to configs, looked up by the registry. */
  static readonly className: string = 'Layer';

  readonly name: string;
  readonly dtype: DType = 'float32';
  built = false;
  /** Checked against the inputs of every call (rank, fixed axes). */
  inputSpec: InputSpec[] | null = null;
  /** One node per symbolic call of this layer. */
  readonly inboundNodes: Node[] = [];
  readonly outboundNodes: Node[] = [];
  /** Declared input shape (from inputShape/inputDim/batchInputShape), batch axis included. */
  readonly batchInputShape: SymbolicShape | null;
  /** The shapes `build` was called with (Keras's build_config). */
  buildShapes: SymbolicShape[] | null = null;
  activityRegularizer: Regularizer | null = null;
  /**
   * The prefix of this layer's weight names: its own name, or for a sub-layer that a layer builds
   * inside itself (MultiHeadAttention's projections), the owner's path, e.g. `mha/query` (Keras's
   * variable paths, which keep the weights of two such owners apart).
   */
  weightScope: string | null = null;

  private trainableFlag: boolean;
  private readonly ownTrainable: Variable[] = [];
  private readonly ownNonTrainable: Variable[] = [];
  private readonly weightRecords = new Map<Variable, WeightRecord>();
  /** Activity-regularization losses of the latest eager call. */
  private activityLosses: Tensor[] = [];
  /** Losses `addLoss` recorded during the latest forward pass. */
  private readonly ownAddedLosses: Tensor[] = [];
  /** Running means `addMetric` reports, by name. */
  private readonly ownAddedMetrics = new Map<string, AddedMetric>();

  constructor(args: LayerArgs = {}) {
    const className = classNameOf(this.constructor);
    if (args.name !== undefined) {
      if (typeof args.name !== 'string' || args.name === '' || args.name.includes('/')) {
        throw new Error(`${className}: 'name' must be a non-empty string without '/', received ${JSON.stringify(args.name)}.`);
      }
    }
    this.name = args.name ?? uniqueName(toSnakeCase(className));
    checkComputeDtype(args.dtype, `Layer "${this.name}"`);
    this.trainableFlag = args.trainable ?? true;
    this.batchInputShape = declaredBatchShape(args, this.name);
  }

  /** Keras's class name of this layer (`Dense`, `Conv2D`, ...). */
  get className(): string {
    return classNameOf(this.constructor);
  }

  /**
   * Revives a layer from its config (Keras's default `from_config`: `new cls(config)`): the base
   * fields (name, trainable, input shape) become LayerArgs, the rest is passed as it is, so a
   * custom layer whose constructor takes the object its `getConfig` returns needs no fromConfig.
   */
  static fromConfig(config: ConfigDict, _customObjects?: Readonly<Record<string, LayerClass>>): Layer {
    const cls = this as unknown as new (args: Record<string, unknown>) => Layer;
    if (cls === (Layer as unknown))
      throw new Error('Layer.fromConfig: call it on a subclass (the abstract Layer cannot be created).');
    const { name: _n, trainable: _t, dtype: _d, batch_input_shape: _b, batch_shape: _bs, ...rest } = config;
    return new cls({ ...rest, ...baseArgsFromConfig(config, `${classNameOf(this)}.fromConfig`) });
  }

  // ---- what subclasses implement ----

  /** Creates the weights for an input of this shape (batch axis included, usually null). */
  build(_inputShape: SymbolicShape): void {}

  /** Computes the layer on one input tensor. Layers taking several inputs override `callMulti`. */
  call(_input: Tensor, _args: CallArgs): Tensor {
    throw new Error(`Layer "${this.name}" (${this.className}) does not define call() for a single input.`);
  }

  /**
   * Output shape for an input shape. Without an override it is inferred by running `call` on
   * zeros (infer-shape.ts, Keras's symbolic run); layers whose output keeps the input's shape
   * say so with `sameShape`.
   */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.single(this.inferOutputShapes([inputShape]), 'computeOutputShape');
  }

  /** Output shapes found by running `callMulti` (with the call's options) on zeros; the losses it adds are dropped. */
  protected inferOutputShapes(inputShapes: SymbolicShape[], options: CallOptions = {}): SymbolicShape[] {
    try {
      return inferOutputShapes(this, inputShapes, (inputs) => this.callMulti(inputs, { ...options, training: false }));
    } finally {
      this.clearAddedLosses();
    }
  }

  /** Several-input (or several-output) forms; single-tensor layers keep these defaults. */
  buildMulti(inputShapes: SymbolicShape[]): void {
    // a custom layer of several inputs with nothing to build (weights in its constructor, or none)
    if (inputShapes.length !== 1 && this.build === Layer.prototype.build) return;
    this.build(this.single(inputShapes, 'build'));
  }

  callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    return [this.call(this.single(inputs, 'call'), { ...args, mask: args.masks?.[0] ?? args.mask ?? null })];
  }

  /** Output shapes of a call; `options` are the call's plain options (an option may add an output). */
  computeOutputShapeMulti(inputShapes: SymbolicShape[], options: CallOptions = {}): SymbolicShape[] {
    // a layer of several inputs that defines no shape function is inferred from all of them
    if (inputShapes.length !== 1 && this.computeOutputShape === Layer.prototype.computeOutputShape) {
      return this.inferOutputShapes(inputShapes, options);
    }
    return [this.computeOutputShape(this.single(inputShapes, 'computeOutputShape'))];
  }

  /** Layers that must receive an array of inputs (merge layers) set this. */
  protected readonly expectsList: boolean = false;

  // ---- masking (docs/masking.md) ----

  /**
   * Whether the layer passes masks on (Keras's `supports_masking`): its outputs get the masks
   * `computeMaskMulti` returns. Layers that keep the time axis (Dense, Dropout, activations,
   * normalization) set it; a layer that overrides `computeMask` counts as supporting masks.
   * Other layers drop the mask, as in Keras.
   */
  protected readonly supportsMasking: boolean = false;

  /** Whether a mask reaching this layer goes on to its outputs. */
  get masksOutputs(): boolean {
    return (
      this.supportsMasking ||
      this.computeMask !== Layer.prototype.computeMask ||
      this.computeMaskMulti !== Layer.prototype.computeMaskMulti
    );
  }

  /** The output mask for one input and its mask (Keras's `compute_mask`); by default the input's mask. */
  computeMask(_input: Tensor, mask: Tensor | null): Tensor | null {
    return mask;
  }

  /** One mask per output; single-input layers keep this default and override `computeMask`. */
  computeMaskMulti(inputs: Tensor[], masks: (Tensor | null)[]): (Tensor | null)[] {
    return [this.computeMask(inputs[0] as Tensor, masks[0] ?? null)];
  }

  /** The layer's Keras config (snake_case keys). Subclasses extend the base fields. */
  getConfig(): ConfigDict {
    const config: ConfigDict = { name: this.name, trainable: this.trainable, dtype: dtypePolicyConfig() };
    if (this.batchInputShape) config.batch_input_shape = this.batchInputShape.slice();
    return config;
  }

  /**
   * Layers owned by this one; weights, losses and `trainable` recurse into them. By default the
   * layers held in this layer's properties, directly or in arrays, plain objects and Maps
   * (tracking.ts: found when asked, so fields set after `super()` count).
   */
  subLayers(): Layer[] {
    return trackedObjects(this, isLayer);
  }

  /** The sub-layers (Keras's `layer.layers` of a custom layer; models list their graph's layers). */
  get layers(): Layer[] {
    return this.subLayers();
  }

  /** This layer's sub-layers, all the way down, each once (Keras's `submodules`, layers only). */
  get submodules(): Layer[] {
    const out = new Set<Layer>();
    const visit = (layer: Layer): void => {
      for (const sub of layer.subLayers()) {
        if (out.has(sub) || sub === this) continue;
        out.add(sub);
        visit(sub);
      }
    };
    visit(this);
    return [...out];
  }

  // ---- calling ----

  apply(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor;
  apply(inputs: Tensor | Tensor[], args?: CallArgs): Tensor;
  apply(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): Tensor | SymbolicTensor {
    const outs = this.applyAny(inputs, args);
    if (outs.length !== 1) {
      throw new Error(`Layer "${this.name}" has ${outs.length} outputs; use applyMulti() to receive all of them.`);
    }
    return outs[0] as Tensor | SymbolicTensor;
  }

  /** Like `apply` but always returns the list of outputs (multi-output models). */
  applyMulti(inputs: SymbolicTensor | SymbolicTensor[], args?: CallArgs): SymbolicTensor[];
  applyMulti(inputs: Tensor | Tensor[], args?: CallArgs): Tensor[];
  applyMulti(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: CallArgs = {}): (Tensor | SymbolicTensor)[] {
    return this.applyAny(inputs, args);
  }

  private applyAny(inputs: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], args: CallArgs): (Tensor | SymbolicTensor)[] {
    if (args.initialState !== undefined && args.initialState !== null) {
      // Keras's initial_state keyword: the states follow the sequence as extra inputs.
      const { initialState, ...rest } = args;
      if (!this.acceptsInitialState) {
        throw new Error(`Layer "${this.name}" (${this.className}) takes no initialState; only recurrent layers do.`);
      }
      if (Array.isArray(inputs)) {
        throw new Error(`Layer "${this.name}": pass the initial states either in the input list or as initialState, not both.`);
      }
      return this.applyAny([inputs, ...initialState] as Tensor[] | SymbolicTensor[], rest);
    }
    const asList = Array.isArray(inputs);
    const list: unknown[] = asList ? inputs : [inputs];
    if (list.length === 0) throw new Error(`Layer "${this.name}" was called on an empty list of inputs.`);
    if (this.expectsList && !asList) {
      throw new Error(`Layer "${this.name}" (${this.className}) should be called on a list of inputs, received a single tensor.`);
    }
    if (list.every((x) => x instanceof SymbolicTensor)) return this.applySymbolic(list as SymbolicTensor[], asList, args);
    if (list.every((x) => x instanceof Tensor)) return this.applyEager(list as Tensor[], args);
    const kinds = list.map((x) => (x instanceof SymbolicTensor ? 'SymbolicTensor' : x instanceof Tensor ? 'Tensor' : typeof x));
    throw new Error(
      `Layer "${this.name}" must be called on Tensors (to compute) or SymbolicTensors (to build a model), not a mix; received ${kinds.join(', ')}.`,
    );
  }

  /** Recurrent layers set this: `apply(x, { initialState })` is then accepted. */
  protected readonly acceptsInitialState: boolean = false;

  /** Records a call on symbolic inputs and its plain options: checks, builds, infers output shapes, adds a Node. */
  applySymbolic(inputs: SymbolicTensor[], asList: boolean, args: CallArgs = {}): SymbolicTensor[] {
    const options = recordableCallOptions(this.name, args);
    const shapes = inputs.map((t) => t.shape.slice());
    assertInputCompatibility(this.name, this.inputSpec, shapes);
    this.maybeBuild(shapes);
    const outShapes = this.computeOutputShapeMulti(shapes, options);
    const nodeIndex = this.inboundNodes.length;
    const outputs = outShapes.map((s, i) => new SymbolicTensor(s, 'float32', this, nodeIndex, i));
    const node = new Node(this, inputs, outputs, asList, options);
    this.inboundNodes.push(node);
    for (const t of inputs) t.sourceLayer.outboundNodes.push(node);
    return outputs;
  }

  /** Computes on concrete tensors (Keras's `layer(x)` in eager mode); builds on first use. */
  applyEager(inputs: Tensor[], args: CallArgs): Tensor[] {
    for (const [i, x] of inputs.entries()) {
      if (!(x instanceof Tensor)) throw new Error(`Layer "${this.name}": input ${i} is not a Tensor.`);
    }
    const shapes = inputs.map((t) => t.shape.slice() as SymbolicShape);
    assertInputCompatibility(this.name, this.inputSpec, shapes);
    // Keras's call context: a nested layer called without `training` inherits the outer call's,
    // and the outermost call clears the losses `addLoss` recorded in the previous pass.
    const outer = callContext();
    const training = args.training ?? outer?.training ?? false;
    // Keras fills `mask` from the inputs' attached masks unless the caller passed one.
    const masks = args.masks ?? (args.mask !== undefined ? [args.mask] : inputs.map(getKerasMask));
    if (!outer) this.clearAddedLosses();
    let outputs: Tensor[];
    try {
      // The batch axis stays free, so a layer built from one batch accepts any batch size.
      this.maybeBuild(shapes.map((s) => [null, ...s.slice(1)]));
      // the call's own options (a layer's extra call arguments, e.g. an attention mask) go through with
      // `training` resolved and the masks Keras fills from the inputs
      outputs = withCallContext({ training }, () => this.callMulti(inputs, { ...args, training, masks, mask: masks[0] ?? null }));
      if (this.masksOutputs) this.attachOutputMasks(inputs, masks, outputs);
    } catch (e) {
      throw this.namedError(e);
    }
    this.activityLosses = [];
    if (this.activityRegularizer) for (const y of outputs) this.activityLosses.push(this.activityRegularizer.apply(y));
    return outputs;
  }

  /** Keras's `_set_mask_metadata`: outputs that carry no mask yet get the one `computeMaskMulti` gives. */
  private attachOutputMasks(inputs: Tensor[], masks: readonly (Tensor | null)[], outputs: Tensor[]): void {
    const outMasks = this.computeMaskMulti(inputs, [...masks]);
    outputs.forEach((y, i) => {
      const m = outMasks[i] ?? null;
      if (m && !getKerasMask(y)) setKerasMask(y, m);
    });
  }

  /** An error from `call` that does not name a layer yet gets this layer's name (Keras's "Exception encountered when calling ..."). */
  private namedError(e: unknown): unknown {
    if (
      e instanceof Error &&
      !e.message.includes('Exception encountered when calling') &&
      !e.message.includes(`"${this.name}"`)
    ) {
      e.message = `Exception encountered when calling layer "${this.name}" (${this.className}).call(): ${e.message}`;
    }
    return e;
  }

  private clearAddedLosses(): void {
    // Most models never call addLoss: skip the walk over every submodule on each call then.
    if (pendingAddedLosses === 0) return;
    for (const layer of [this, ...this.submodules]) {
      pendingAddedLosses -= layer.ownAddedLosses.length;
      layer.ownAddedLosses.length = 0;
    }
  }

  /** Builds once, from the first input shapes seen. */
  maybeBuild(shapes: SymbolicShape[]): void {
    if (this.built) return;
    this.buildMulti(shapes);
    this.built = true;
    this.buildShapes = shapes.map((s) => s.slice());
  }

  protected single<T>(list: T[], what: string): T {
    if (list.length !== 1) {
      throw new Error(`Layer "${this.name}" (${this.className}) expects a single input, received ${list.length} in ${what}().`);
    }
    return list[0] as T;
  }

  // ---- weights ----

  /**
   * Creates a weight Variable named `<layer>/<name>` and tracks it (Keras's `add_weight`):
   * `addWeight('kernel', { shape })` or Keras's keyword form `addWeight({ shape, initializer, trainable, name })`.
   */
  addWeight(name: string, options: AddWeightOptions): Variable;
  addWeight(options: AddWeightOptions): Variable;
  addWeight(nameOrOptions: string | AddWeightOptions, givenOptions?: AddWeightOptions): Variable {
    const options = typeof nameOrOptions === 'string' ? givenOptions : nameOrOptions;
    if (options === null || typeof options !== 'object' || !Array.isArray(options.shape)) {
      throw new Error(
        `Layer "${this.name}": addWeight needs a shape: addWeight({ shape: [inputDim, units], initializer: 'random_normal', trainable: true, name: 'w' }), received ${JSON.stringify(options)}.`,
      );
    }
    const name = typeof nameOrOptions === 'string' ? nameOrOptions : this.freshWeightName(options.name ?? 'variable');
    const initializer = getInitializer(options.initializer ?? 'glorot_uniform');
    const trainable = options.trainable ?? true;
    for (const d of options.shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new Error(`Layer "${this.name}": weight '${name}' has an invalid shape ${formatShape(options.shape)}.`);
      }
    }
    checkWeightAllocation(this.name, name, options.shape);
    const variable = new Variable(initializer.apply(options.shape), {
      name: `${this.weightScope ?? this.name}/${name}`,
      trainable: trainable && this.trainableFlag,
    });
    (trainable ? this.ownTrainable : this.ownNonTrainable).push(variable);
    this.weightRecords.set(variable, { regularizer: options.regularizer ?? null, constraint: options.constraint ?? null });
    return variable;
  }

  /** `name`, or `name_1`, `name_2`, ... when the layer already has a weight of that name. */
  private freshWeightName(name: string): string {
    const taken = new Set([...this.ownTrainable, ...this.ownNonTrainable].map((v) => v.name));
    const scope = this.weightScope ?? this.name;
    if (!taken.has(`${scope}/${name}`)) return name;
    let i = 1;
    while (taken.has(`${scope}/${name}_${i}`)) i++;
    return `${name}_${i}`;
  }

  /**
   * Adds a loss term to the total loss of the forward pass in progress (Keras's `add_loss`),
   * e.g. `this.addLoss(ops.mul(ops.mean(x), rate))` inside `call`. The outermost call clears them.
   */
  addLoss(loss: Tensor | number): void {
    const value = typeof loss === 'number' ? new Tensor(new Float32Array([loss]), []) : loss;
    if (!(value instanceof Tensor))
      throw new Error(`Layer "${this.name}": addLoss expects a Tensor or a number, received ${typeof loss}.`);
    this.ownAddedLosses.push(value);
    pendingAddedLosses++;
  }

  /** Reports the mean of `value` under `name` in the training logs, averaged over the epoch (Keras 2's `add_metric`). */
  addMetric(value: Tensor | number, name: string): void {
    if (typeof name !== 'string' || name === '')
      throw new Error(`Layer "${this.name}": addMetric needs a name: addMetric(value, 'name').`);
    let metric = this.ownAddedMetrics.get(name);
    if (!metric) {
      metric = new AddedMetric(name);
      this.ownAddedMetrics.set(name, metric);
    }
    if (typeof value === 'number') metric.add([value]);
    else metric.updateState(value);
  }

  /** The running means `addMetric` created on this layer. */
  addedMetrics(): AddedMetric[] {
    return [...this.ownAddedMetrics.values()];
  }

  /** Every weight: this layer's own (created order, trainable first), the Variables its properties hold, then its sub-layers'. */
  get weights(): Variable[] {
    const seen = new Set<Variable>();
    const out: Variable[] = [];
    const push = (v: Variable): void => {
      if (!seen.has(v)) {
        seen.add(v);
        out.push(v);
      }
    };
    for (const v of this.ownTrainable) push(v);
    for (const v of this.ownNonTrainable) push(v);
    for (const v of trackedObjects(this, isVariable)) push(v);
    for (const layer of this.subLayers()) for (const v of layer.weights) push(v);
    return out;
  }

  /** Weights the optimizer updates; none when the layer is frozen (Keras's rule). */
  get trainableWeights(): Variable[] {
    return this.trainable ? this.weights.filter((v) => v.trainable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.weights.filter((v) => !v.trainable) : this.weights;
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  /** Freezing (false) or unfreezing applies to every weight and every sub-layer, as in Keras. */
  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const v of this.ownTrainable) v.trainable = value;
    for (const layer of this.subLayers()) layer.trainable = value;
  }

  /** Copies of the weight values, in `weights` order. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => v.clone());
  }

  /** Sets the weights from a list in `weights` order; shapes must match. */
  setWeights(weights: readonly Tensor[]): void {
    const own = this.weights;
    if (weights.length !== own.length) {
      throw new Error(
        `You called setWeights(weights) on layer "${this.name}" with a weight list of length ${weights.length}, ` +
          `but the layer was expecting ${own.length} weights.`,
      );
    }
    own.forEach((v, i) => {
      const w = weights[i] as Tensor;
      if (!(w instanceof Tensor)) throw new Error(`setWeights on layer "${this.name}": weight ${i} is not a Tensor.`);
      if (w.shape.length !== v.shape.length || w.shape.some((d, j) => d !== v.shape[j])) {
        throw new Error(
          `Layer "${this.name}" weight shape ${formatPythonShape(v.shape)} is not compatible with provided weight shape ${formatPythonShape(w.shape)}.`,
        );
      }
    });
    own.forEach((v, i) => {
      v.assignValues((weights[i] as Tensor).dataSync());
    });
  }

  /** Number of scalars in all weights (Keras's `count_params`); the layer must be built. */
  countParams(): number {
    if (!this.built) {
      throw new Error(
        `You tried to call countParams() on layer "${this.name}", but the layer isn't built. ` +
          `You can build it manually via: \`${this.name}.build(batchInputShape)\`.`,
      );
    }
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /**
   * Regularization losses: each regularized trainable weight's penalty (recomputed now, so its
   * gradient flows) and the activity penalties of the latest call, sub-layers included.
   */
  get losses(): Tensor[] {
    const out: Tensor[] = [];
    for (const v of [...this.ownTrainable, ...this.ownNonTrainable]) {
      const reg = this.weightRecords.get(v)?.regularizer;
      if (reg && v.trainable) out.push(reg.apply(v));
    }
    out.push(...this.activityLosses, ...this.ownAddedLosses);
    for (const layer of this.subLayers()) out.push(...layer.losses);
    return out;
  }

  /** Projects each constrained weight back onto its constraint; training calls this after each update. */
  applyConstraints(): void {
    for (const [v, record] of this.weightRecords) if (record.constraint) v.assign(record.constraint.apply(v));
    for (const layer of this.subLayers()) layer.applyConstraints();
  }

  /** The weights that carry a constraint, with it (this layer and its sub-layers). */
  weightConstraints(): { variable: Variable; constraint: Constraint }[] {
    const out: { variable: Variable; constraint: Constraint }[] = [];
    for (const [variable, record] of this.weightRecords)
      if (record.constraint) out.push({ variable, constraint: record.constraint });
    for (const layer of this.subLayers()) out.push(...layer.weightConstraints());
    return out;
  }

  // ---- graph tensors (Keras's layer.input / layer.output) ----

  /** The input tensor(s) of this layer's first call: one SymbolicTensor, or a list for several. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    return firstCallTensors(this, 'input');
  }

  /** The output tensor(s) of this layer's first call, e.g. for feature-extraction models. */
  get output(): SymbolicTensor | SymbolicTensor[] {
    return firstCallTensors(this, 'output');
  }

  // ---- shapes (Keras 2's input_shape / output_shape) ----

  /** Input shapes of this layer's calls; all calls must agree. */
  get inputShapes(): SymbolicShape[] {
    return this.agreedShapes('input', (node) => node.inputTensors.map((t) => t.shape), this.buildShapes);
  }

  get outputShapes(): SymbolicShape[] {
    const fromBuild = this.buildShapes ? this.computeOutputShapeMulti(this.buildShapes.map((s) => s.slice())) : null;
    return this.agreedShapes('output', (node) => node.outputTensors.map((t) => t.shape), fromBuild);
  }

  /** Input shape, batch axis `null` (Keras's `input_shape`). */
  get inputShape(): SymbolicShape {
    return this.onlyShape(this.inputShapes, 'input');
  }

  /** Output shape, batch axis `null` (Keras's `output_shape`). */
  get outputShape(): SymbolicShape {
    return this.onlyShape(this.outputShapes, 'output');
  }

  private onlyShape(shapes: SymbolicShape[], kind: string): SymbolicShape {
    if (shapes.length !== 1) {
      throw new Error(`Layer "${this.name}" has ${shapes.length} ${kind}s; read ${kind}Shapes for all of them.`);
    }
    return shapes[0] as SymbolicShape;
  }

  private agreedShapes(
    kind: 'input' | 'output',
    of: (node: Node) => SymbolicShape[],
    fallback: SymbolicShape[] | null,
  ): SymbolicShape[] {
    const nodes = this.inboundNodes.filter((n) => kind === 'output' || !n.isInput);
    if (nodes.length === 0) {
      if (fallback) return fallback.map((s) => s.slice());
      throw new Error(`The layer "${this.name}" has never been called and thus has no defined ${kind} shape.`);
    }
    const first = of(nodes[0] as Node);
    const key = JSON.stringify(first);
    for (const node of nodes) {
      if (JSON.stringify(of(node)) !== key) {
        throw new Error(
          `The layer "${this.name}" has multiple inbound nodes, with different ${kind} shapes. ` +
            `Hence the notion of "${kind} shape" is ill-defined for the layer.`,
        );
      }
    }
    return first.map((s) => s.slice());
  }

  toString(): string {
    return `<${this.className} name=${this.name}, built=${this.built}>`;
  }
}

export { baseArgsFromConfig, dtypePolicyConfig } from './layer-args.js';

/** The output shape of a layer whose output keeps its input's shape (activations, dropout, normalization). */
export function sameShape(inputShape: SymbolicShape): SymbolicShape {
  return inputShape.slice();
}

/**
 * A layer class's Keras name: its own static `className` (built-ins declare one), or for a user's
 * subclass that declares none, the JavaScript class name (Keras uses `__class__.__name__`).
 */
export function classNameOf(cls: unknown): string {
  const ctor = cls as { className?: unknown; name?: string };
  if (Object.hasOwn(ctor, 'className') && typeof ctor.className === 'string') return ctor.className;
  return ctor.name || String(ctor.className);
}

function isLayer(value: unknown): value is Layer {
  return value instanceof Layer;
}

function isVariable(value: unknown): value is Variable {
  return value instanceof Variable;
}
