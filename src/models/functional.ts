/**
 * Functional models (Keras's `Model(inputs, outputs)`): a graph of layer calls recorded on
 * SymbolicTensors, executed in topological order. A model is itself a Layer, so it can be
 * called on new inputs, nested inside another model, frozen, or shared.
 *
 * Training (`compile`, `fit`, `trainStep`, ...) comes from the Trainer base class, as Keras's
 * Model extends its Trainer. Saving (`save/loadWeights/...`) adds its methods to this class's
 * prototype from its own module (declaration merging).
 *
 * A subclass that passes no `inputs`/`outputs` is a subclassed model (Keras's
 * `class MyModel(keras.Model)`): it runs its own `call`, builds on its first call (or on
 * `build(inputShape)`, which calls it on zeros), and its layers are the ones it holds in its
 * properties (layers/engine/tracking.ts).
 */

import { noGrad } from '../autograd/record.js';
import { InputLayer } from '../layers/core/input-layer.js';
import { withCallContext } from '../layers/engine/call-context.js';
import type { ConfigDict } from '../layers/engine/config.js';
import { InputSpec } from '../layers/engine/input-spec.js';
import { type CallArgs, classNameOf, Layer, type LayerClass } from '../layers/engine/layer.js';
import { setKerasMask } from '../layers/engine/masking.js';
import { toSnakeCase, uniqueName } from '../layers/engine/naming.js';
import { Node } from '../layers/engine/node.js';
import { formatPythonShape, type SymbolicShape, SymbolicTensor } from '../layers/engine/symbolic.js';
import { trackedObjects } from '../layers/engine/tracking.js';
import { type ConfigFormat, toKeras2Config } from '../layers/serialization.js';
import { Tensor } from '../tensor/tensor.js';
import { Trainer } from '../training/trainer.js';
import { functionalConfig, functionalFromConfig } from './config.js';
import { type GraphMap, mapGraph } from './graph.js';
import { toInputDtype } from './input-dtypes.js';
import { flattenStructure, isSymbolicRecord, type SymbolicStructure } from './io-structure.js';
import { runWithRecycler } from './recycling.js';
import { printSummary, type SummaryOptions } from './summary.js';

export interface ModelArgs {
  /** One input, a list, or a record by name (data is then passed to fit/predict by those names). */
  inputs: SymbolicStructure;
  /** One output, a list (nested lists flattened), or a record by name (losses and targets by name). */
  outputs: SymbolicStructure;
  name?: string;
  trainable?: boolean;
}

export class Model extends Trainer {
  static override readonly className: string = 'Functional';

  /** Model inputs and outputs (symbolic). Empty for a Sequential that is not built yet. */
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** Keys of the inputs / outputs when they were given as records (Keras's dict structure). */
  private inputKeys: string[] | null = null;
  private outputKeys: string[] | null = null;
  /** The mapped graph from `inputs` to `outputs`; null until mapped (or while unbuilt). */
  private mapped: GraphMap | null = null;

  /**
   * `new Model({ inputs, outputs, name })`, or Keras's positional form
   * `new Model(inputs, outputs, { name })`.
   */
  constructor(args?: ModelArgs | { name?: string; trainable?: boolean });
  constructor(inputs: SymbolicStructure, outputs: SymbolicStructure, options?: { name?: string; trainable?: boolean });
  constructor(
    first: ModelArgs | SymbolicStructure | { name?: string; trainable?: boolean } = {},
    outputs?: SymbolicStructure,
    options: { name?: string; trainable?: boolean } = {},
  ) {
    const positional = isPositionalInputs(first, outputs);
    const args = (positional ? { ...options, inputs: first, outputs } : first) as Partial<ModelArgs>;
    // Keras 2 names functional models model_1, model_2, ...; subclasses use their own prefix.
    const prefix = new.target === Model ? 'model' : toSnakeCase(classNameOf(new.target));
    super({ name: args.name ?? uniqueName(prefix), trainable: args.trainable });
    if (positional || 'inputs' in args || 'outputs' in args || new.target === Model) {
      if (!args.inputs || !args.outputs) {
        throw new Error(
          'Model: pass both `inputs` and `outputs`: new Model({ inputs, outputs }) or, as in Keras, new Model(inputs, outputs).',
        );
      }
      const ins = flattenStructure(args.inputs, 'inputs', 'Model');
      const outs = flattenStructure(args.outputs, 'outputs', 'Model');
      this.inputKeys = ins.keys;
      this.outputKeys = outs.keys;
      this.initGraph(ins.tensors, outs.tensors);
    }
  }

  /**
   * The names inputs are fed by (Keras's `input_names`): the record's keys when the inputs were
   * given as a record, else the InputLayers' names.
   */
  get inputNames(): string[] {
    return this.inputKeys?.slice() ?? this.inputs.map((t) => t.sourceLayer.name);
  }

  /** The names losses, metrics and targets go by (Keras's `output_names`). */
  get outputNames(): string[] {
    return this.outputKeys?.slice() ?? this.outputs.map((t) => t.sourceLayer.name);
  }

  /** Whether the inputs / outputs were given as records, so configs write them back as records. */
  get ioAsRecords(): { inputs: boolean; outputs: boolean } {
    return { inputs: this.inputKeys !== null, outputs: this.outputKeys !== null };
  }

  /**
   * (Re)builds the graph from inputs to outputs and the model's own internal node. The graph is
   * mapped (and checked: cycles, disconnected inputs, duplicate names) now, or with `deferMapping`
   * on first use: Sequential defers it, because mapping after every `add` would make building
   * quadratic, and a chain it makes cannot be cyclic or disconnected.
   */
  protected initGraph(inputs: SymbolicTensor[], outputs: SymbolicTensor[], deferMapping = false): void {
    inputs.forEach((t, i) => {
      if (!(t.sourceLayer instanceof InputLayer)) {
        throw new Error(
          `Model "${this.name}": input ${i} must come from Input(...) (an InputLayer); it was produced by layer "${t.sourceLayer.name}" (${t.sourceLayer.className}).`,
        );
      }
    });
    if (new Set(inputs).size !== inputs.length) throw new Error(`Model "${this.name}": the same input is listed more than once.`);
    this.mapped = deferMapping ? null : mapGraph(inputs, outputs);
    this.inputs = inputs.slice();
    this.outputs = outputs.slice();
    this.inputSpec = inputs.map((t) => new InputSpec({ shape: t.shape }));
    this.built = true;
    this.buildShapes = inputs.map((t) => t.shape.slice());
    // Keras 2 gives every model an internal node 0 linking its inputs to its outputs, so a model
    // called on new inputs shows up as `model_1[1][0]`.
    const internal = new Node(this, [], outputs, inputs.length > 1);
    if (this.inboundNodes.length > 0 && this.inboundNodes[0]?.isInput) this.inboundNodes[0] = internal;
    else this.inboundNodes.unshift(internal);
  }

  /** The model's input(s) (Keras's `model.input`): one SymbolicTensor, or the list for several. */
  override get input(): SymbolicTensor | SymbolicTensor[] {
    return this.ioTensors(this.inputs, 'input');
  }

  /** The model's output(s) (Keras's `model.output`). */
  override get output(): SymbolicTensor | SymbolicTensor[] {
    return this.ioTensors(this.outputs, 'output');
  }

  private ioTensors(list: SymbolicTensor[], kind: string): SymbolicTensor | SymbolicTensor[] {
    if (list.length === 0) {
      throw new Error(
        `The model "${this.name}" has never been called and thus has no defined ${kind}; give it an input shape or build it first.`,
      );
    }
    return list.length === 1 ? (list[0] as SymbolicTensor) : list.slice();
  }

  /** The mapped graph, mapped now if it was deferred; null while the model is not built. */
  protected get graph(): GraphMap | null {
    if (!this.mapped && this.outputs.length > 0) this.mapped = mapGraph(this.inputs, this.outputs);
    return this.mapped;
  }

  /** All layers of the graph, inputs included, in Keras's order (deepest first); a subclassed model's tracked layers. */
  override get layers(): Layer[] {
    if (this.graph) return this.graph.layers.slice();
    return this.isSubclassed() ? this.trackedLayers() : [];
  }

  /**
   * Whether this is a subclassed model: a subclass made without a graph (its `call`, or only a
   * custom `trainStep` like the guide's GAN). A plain `new Model()` is refused by the constructor;
   * Sequential builds its graph itself.
   */
  isSubclassed(): boolean {
    return this.outputs.length === 0 && !this.buildsOwnGraph();
  }

  private definesCall(): boolean {
    return this.call !== Model.prototype.call || this.callMulti !== Model.prototype.callMulti;
  }

  /** Whether the class builds its graph later itself (Sequential), so an empty graph is not a subclassed model. */
  protected buildsOwnGraph(): boolean {
    return false;
  }

  private trackedLayers(): Layer[] {
    return trackedObjects(this, (v): v is Layer => v instanceof Layer && v !== this);
  }

  /** Whether this model's graph contains the node (summary's "relevant nodes"). */
  hasNode(node: Node): boolean {
    return this.graph?.nodes.has(node) ?? false;
  }

  /** Nodes by depth (0 = outputs), for printing and serialization. */
  get nodesByDepth(): Map<number, Node[]> {
    return this.graph ? this.graph.nodesByDepth : new Map();
  }

  get inputLayers(): Layer[] {
    return this.inputs.map((t) => t.sourceLayer);
  }

  get outputLayers(): Layer[] {
    return this.outputs.map((t) => t.sourceLayer);
  }

  /** A layer by name or by index in `layers` (Keras's `get_layer`). */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === 'number') {
      const layer = layers[nameOrIndex];
      if (!layer) {
        throw new Error(`Was asked to retrieve layer at index ${nameOrIndex} but model only has ${layers.length} layers.`);
      }
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (!layer)
      throw new Error(`No such layer: ${nameOrIndex}. Existing layers are: [${layers.map((l) => `'${l.name}'`).join(', ')}].`);
    return layer;
  }

  /** The graph's layers, and any other layer the model holds in its properties (a subclass's extra layers). */
  override subLayers(): Layer[] {
    const graphLayers = this.graph ? this.graph.layers : [];
    const inGraph = new Set(graphLayers);
    const extra = this.trackedLayers().filter((l) => !inGraph.has(l));
    return extra.length === 0 ? graphLayers.slice() : [...graphLayers, ...extra];
  }

  override get inputShapes(): SymbolicShape[] {
    if (this.inputs.length > 0) return this.inputs.map((t) => t.shape.slice());
    return super.inputShapes;
  }

  /**
   * A functional model is built when its graph is created. A subclassed one is built by calling
   * it once on zeros (unknown axes as 1), which builds the layers its `call` uses, as Keras
   * builds a subclassed model whose `build` is not overridden.
   */
  override buildMulti(inputShapes: SymbolicShape[]): void {
    if (!this.isSubclassed()) return;
    this.built = true;
    this.buildShapes = inputShapes.map((s) => s.slice());
    // a model that only trains its parts (the guide's GAN: a custom trainStep, no call) has nothing to run
    if (!this.definesCall()) return;
    const zeros = inputShapes.map((s) => {
      const shape = s.map((d) => d ?? 1);
      return new Tensor(new Float32Array(shape.reduce((n, d) => n * d, 1)), shape);
    });
    noGrad(() => withCallContext({ training: false }, () => this.callMulti(zeros, { training: false })));
  }

  /** Builds a subclassed model for an input shape, batch axis included (`build([null, 784])`). */
  override build(inputShape: SymbolicShape): void {
    if (!this.isSubclassed() || this.built) return;
    if (!Array.isArray(inputShape)) {
      throw new Error(`Model "${this.name}".build: expected a shape array such as [null, 784], received ${String(inputShape)}.`);
    }
    this.maybeBuild([inputShape]);
  }

  /** A model's shape comes from its graph; Layer's default ("same shape") would be wrong. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.single(this.computeOutputShapeMulti([inputShape]), 'computeOutputShape');
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    if (this.isSubclassed()) return this.inferOutputShapes(inputShapes);
    const graph = this.requireGraph('computeOutputShape');
    const shapes = new Map<SymbolicTensor, SymbolicShape>();
    this.inputs.forEach((t, i) => {
      shapes.set(t, (inputShapes[i] ?? t.shape).slice());
    });
    for (const depth of graph.depthsDescending) {
      for (const node of graph.nodesByDepth.get(depth) as Node[]) {
        if (node.isInput) continue;
        const ins = node.inputTensors.map((t) => shapes.get(t) as SymbolicShape);
        const outs = node.outboundLayer.computeOutputShapeMulti(ins);
        node.outputTensors.forEach((t, i) => {
          shapes.set(t, outs[i] as SymbolicShape);
        });
      }
    }
    return this.outputs.map((t) => shapes.get(t) as SymbolicShape);
  }

  /**
   * Runs the graph on concrete tensors, node by node from the inputs. Each value is dropped
   * after its last consumer; at inference its storage goes back to the pool (models/recycling.ts).
   */
  override callMulti(inputs: Tensor[], args: CallArgs): Tensor[] {
    if (this.isSubclassed()) {
      if (!this.definesCall()) {
        throw new Error(
          `Model "${this.name}" (${this.className}) does not define call(inputs, { training }); a subclassed model computes its outputs there.`,
        );
      }
      return super.callMulti(inputs, args);
    }
    const graph = this.requireGraph('call');
    if (inputs.length !== this.inputs.length) {
      throw new Error(`Model "${this.name}" expects ${this.inputs.length} input(s), but it received ${inputs.length}.`);
    }
    return runWithRecycler(this, (recycler) => {
      const values = new Map<SymbolicTensor, Tensor>();
      this.inputs.forEach((t, i) => {
        const x = toInputDtype(inputs[i] as Tensor, t, this.name);
        // the model's input masks (given, or attached to the data) stay on the converted input
        const mask = args.masks?.[i] ?? null;
        if (mask) setKerasMask(x, mask);
        values.set(t, x);
        recycler?.hold(x);
      });
      // each layer reads its own inputs' masks: the model's call masks are not passed down
      const layerArgs: CallArgs = { training: args.training };
      for (const { node, dead } of graph.steps) {
        const xs = node.inputTensors.map((t) => values.get(t) as Tensor);
        // options recorded with the call (`training: true`, `useCausalMask`) take precedence, as in Keras
        const ys = node.outboundLayer.applyEager(xs, node.hasCallOptions ? { ...layerArgs, ...node.callOptions } : layerArgs);
        if (ys.length !== node.outputTensors.length) {
          throw new Error(
            `Layer "${node.outboundLayer.name}" returned ${ys.length} output(s) where the model expects ${node.outputTensors.length}.`,
          );
        }
        node.outputTensors.forEach((t, i) => {
          const y = ys[i] as Tensor;
          values.set(t, y);
          recycler?.hold(y);
        });
        for (const t of dead) {
          const value = values.get(t) as Tensor;
          values.delete(t);
          recycler?.release(value);
        }
      }
      return this.outputs.map((t) => values.get(t) as Tensor);
    });
  }

  override call(input: Tensor, args: CallArgs): Tensor {
    return this.callMulti([input], args)[0] as Tensor;
  }

  /** Keras 2's summary shows functional models as `Model`; Keras 3 as `Functional`. */
  summaryClassName(style: 'keras2' | 'keras3'): string {
    return style === 'keras2' && this.className === 'Functional' ? 'Model' : this.className;
  }

  /** Prints the summary (Keras 2 text by default, `style: 'keras3'` for the box table) and returns it. */
  summary(options: SummaryOptions = {}): string {
    return printSummary(this, options);
  }

  /** The graph's config; a subclassed model's base fields (its class adds its own arguments, as in Keras). */
  override getConfig(): ConfigDict {
    if (this.isSubclassed()) return super.getConfig();
    return this.configFor('keras3');
  }

  /** The config in Keras 3's layout (`.keras`) or Keras 2's (legacy `.h5`, TensorFlow.js). */
  configFor(format: ConfigFormat): ConfigDict {
    if (this.isSubclassed()) return format === 'keras2' ? (toKeras2Config(this.getConfig()) as ConfigDict) : this.getConfig();
    return functionalConfig(this, format);
  }

  static override fromConfig(config: ConfigDict, customObjects?: Readonly<Record<string, LayerClass>>): Model {
    // a registered subclass without its own fromConfig is revived like any custom layer: new cls(config)
    if (this !== Model && !('layers' in config && 'input_layers' in config)) return Layer.fromConfig.call(this, config) as Model;
    return functionalFromConfig(config, this, customObjects);
  }

  protected requireGraph(what: string): GraphMap {
    if (!this.graph) {
      throw new Error(
        `${what}: model "${this.name}" has not yet been built. Build the model first by calling build() or by calling it on data, ` +
          'or specify an input shape (inputShape) on its first layer.',
      );
    }
    return this.graph;
  }

  override toString(): string {
    const shapes = this.outputs.length > 0 ? ` inputs=${this.inputs.map((t) => formatPythonShape(t.shape)).join(', ')}` : '';
    return `<${this.className} name=${this.name}${shapes}>`;
  }
}

/**
 * Keras's positional `Model(inputs, outputs)`: the first argument is tensors, not an options
 * object. A record of inputs counts only with outputs after it: `{ inputs: a, outputs: b }` of two
 * tensors is the options form.
 */
function isPositionalInputs(first: unknown, outputs: unknown): first is SymbolicStructure {
  return first instanceof SymbolicTensor || Array.isArray(first) || (outputs !== undefined && isSymbolicRecord(first));
}
