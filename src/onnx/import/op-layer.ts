/**
 * The layer for an ONNX op that has no Keras layer (Gather, Slice, Erf, a bias added to a MatMul,
 * ...): it runs a function of capa ops on its inputs and its constant operands, which it holds
 * as weights so fine-tuning can change them. Its output shapes are fixed at import (the graph's
 * shapes are static apart from the batch). It has no Keras config, so saving a model that holds
 * one fails with a message naming the ONNX op and node.
 */
import type { ConfigDict } from '../../layers/engine/config.js';
import { type CallArgs, Layer } from '../../layers/engine/layer.js';
import type { SymbolicShape } from '../../layers/engine/symbolic.js';
import { Initializer } from '../../layers/initializers/index.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';

/** What an op layer computes: its inputs (stored layout) and its weights in, its outputs out. */
export type OpCompute = (inputs: Tensor[], weights: Tensor[]) => Tensor[];

export interface OpWeight {
  name: string;
  values: Float32Array;
  shape: readonly number[];
  trainable: boolean;
}

/** An initializer that yields given values (the imported ones). */
class Values extends Initializer {
  readonly className = 'Constant';
  constructor(private readonly values: Float32Array) {
    super();
  }
  generate(shape: readonly number[]): Float32Array {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== this.values.length)
      throw new Error(`imported weight of ${this.values.length} values cannot fill shape [${shape.join(', ')}]`);
    return this.values.slice();
  }
  getConfig(): ConfigDict {
    return {};
  }
}

export interface OnnxOpArgs {
  name: string;
  /** The ONNX op type and node name, for summaries and errors. */
  opType: string;
  nodeName: string;
  compute: OpCompute;
  weights: readonly OpWeight[];
  outputShapes: readonly SymbolicShape[];
}

export class OnnxOp extends Layer {
  static override readonly className: string = 'OnnxOp';
  readonly opType: string;
  readonly nodeName: string;
  private readonly compute: OpCompute;
  /** The imported values, until build() has made them Variables (then released). */
  private weightSpecs: readonly OpWeight[];
  private readonly fixedShapes: readonly SymbolicShape[];
  private vars: Variable[] = [];

  constructor(args: OnnxOpArgs) {
    super({ name: args.name });
    this.opType = args.opType;
    this.nodeName = args.nodeName;
    this.compute = args.compute;
    this.weightSpecs = args.weights;
    this.fixedShapes = args.outputShapes.map((s) => s.slice());
  }

  /** Summaries print the ONNX op (`OnnxOp(Gather)`) where Keras prints the class. */
  override get className(): string {
    return `OnnxOp(${this.opType})`;
  }

  override buildMulti(_shapes: SymbolicShape[]): void {
    this.vars = this.weightSpecs.map((w) =>
      this.addWeight(w.name, { shape: w.shape, initializer: new Values(w.values), trainable: w.trainable }),
    );
    this.weightSpecs = [];
  }

  override callMulti(inputs: Tensor[], _args: CallArgs): Tensor[] {
    return this.compute(inputs, this.vars);
  }

  override computeOutputShapeMulti(_inputShapes: SymbolicShape[]): SymbolicShape[] {
    return this.fixedShapes.map((s) => s.slice());
  }

  override getConfig(): ConfigDict {
    throw new Error(
      `layer "${this.name}" computes the ONNX op '${this.opType}' (node '${this.nodeName}'), which has no Keras layer, ` +
        'so this imported model cannot be written as a Keras model file (it predicts and trains in capa).',
    );
  }
}
