/**
 * Merge layers, called on a list of tensors: Add, Subtract, Multiply, Average, Maximum,
 * Minimum (elementwise, broadcasting the non-batch axes like Keras) and Concatenate.
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, configNumber } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';

const shapeList = (shapes: SymbolicShape[]): string => `[${shapes.map((s) => formatPythonShape(s)).join(', ')}]`;

/** Keras's `_compute_elemwise_op_output_shape` over the non-batch axes. */
function broadcastSymbolic(a: SymbolicShape, b: SymbolicShape): SymbolicShape {
  const rank = Math.max(a.length, b.length);
  const out: SymbolicShape = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i];
    const y = b[b.length - rank + i];
    if (x === undefined) out.push(y ?? null);
    else if (y === undefined) out.push(x);
    else if (x === null || y === null) out.push(x === 1 ? y : y === 1 ? x : null);
    else if (x === 1) out.push(y);
    else if (y === 1 || x === y) out.push(x);
    else {
      throw new Error(
        `Inputs have incompatible shapes. Received shapes ${formatPythonShape(a.slice(1))} and ${formatPythonShape(b.slice(1))}`,
      );
    }
  }
  return out;
}

export abstract class Merge extends Layer {
  protected override readonly expectsList = true;

  protected checkInputs(shapes: SymbolicShape[]): void {
    if (shapes.length < 1)
      throw new Error(`A merge layer should be called on a list of at least 1 input. Got ${shapes.length} inputs.`);
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    this.checkInputs(inputShapes);
    this.computeOutputShapeMulti(inputShapes);
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    this.checkInputs(inputShapes);
    let out = (inputShapes[0] as SymbolicShape).slice(1);
    for (const s of inputShapes.slice(1)) out = broadcastSymbolic([null, ...out], s).slice(1);
    const batches = inputShapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined);
    return [[batches.length > 0 && batches.every((d) => d === batches[0]) ? (batches[0] as number) : null, ...out]];
  }

  protected abstract merge(inputs: Tensor[]): Tensor;

  override callMulti(inputs: Tensor[], _args: CallArgs): Tensor[] {
    return [this.merge(inputs)];
  }

  /** Keras's Merge.compute_mask: a step is kept where every masked input keeps it. */
  override computeMaskMulti(_inputs: Tensor[], masks: (Tensor | null)[]): (Tensor | null)[] {
    const given = masks.filter((m): m is Tensor => m !== null);
    if (given.length === 0) return [null];
    return [given.slice(1).reduce((a, b) => ops.logicalAnd(a, b), given[0] as Tensor)];
  }

  static argsFrom(config: ConfigDict, owner: string): LayerArgs {
    return baseArgsFromConfig(config, owner);
  }
}

const reduceWith = (inputs: Tensor[], f: (a: Tensor, b: Tensor) => Tensor): Tensor =>
  inputs.slice(1).reduce(f, inputs[0] as Tensor);

export class Add extends Merge {
  static override readonly className: string = 'Add';
  protected merge(inputs: Tensor[]): Tensor {
    return reduceWith(inputs, ops.add);
  }
  static override fromConfig(config: ConfigDict): Add {
    return new Add(Merge.argsFrom(config, 'Add.fromConfig'));
  }
}

export class Subtract extends Merge {
  static override readonly className: string = 'Subtract';
  protected override checkInputs(shapes: SymbolicShape[]): void {
    if (shapes.length !== 2) {
      throw new Error(`A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=${shapeList(shapes)}`);
    }
  }
  protected merge(inputs: Tensor[]): Tensor {
    return ops.sub(inputs[0] as Tensor, inputs[1] as Tensor);
  }
  static override fromConfig(config: ConfigDict): Subtract {
    return new Subtract(Merge.argsFrom(config, 'Subtract.fromConfig'));
  }
}

export class Multiply extends Merge {
  static override readonly className: string = 'Multiply';
  protected merge(inputs: Tensor[]): Tensor {
    return reduceWith(inputs, ops.mul);
  }
  static override fromConfig(config: ConfigDict): Multiply {
    return new Multiply(Merge.argsFrom(config, 'Multiply.fromConfig'));
  }
}

export class Average extends Merge {
  static override readonly className: string = 'Average';
  protected merge(inputs: Tensor[]): Tensor {
    return ops.div(reduceWith(inputs, ops.add), inputs.length);
  }
  static override fromConfig(config: ConfigDict): Average {
    return new Average(Merge.argsFrom(config, 'Average.fromConfig'));
  }
}

export class Maximum extends Merge {
  static override readonly className: string = 'Maximum';
  protected merge(inputs: Tensor[]): Tensor {
    return reduceWith(inputs, ops.maximum);
  }
  static override fromConfig(config: ConfigDict): Maximum {
    return new Maximum(Merge.argsFrom(config, 'Maximum.fromConfig'));
  }
}

export class Minimum extends Merge {
  static override readonly className: string = 'Minimum';
  protected merge(inputs: Tensor[]): Tensor {
    return reduceWith(inputs, ops.minimum);
  }
  static override fromConfig(config: ConfigDict): Minimum {
    return new Minimum(Merge.argsFrom(config, 'Minimum.fromConfig'));
  }
}

export class Concatenate extends Merge {
  static override readonly className: string = 'Concatenate';
  readonly axis: number;

  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args);
    this.axis = args.axis ?? -1;
  }

  /**
   * Keras's Concatenate.compute_mask: each input's mask (all ones when it has none) is broadcast
   * over its features and concatenated like the inputs; a position is kept where any feature is.
   */
  override computeMaskMulti(inputs: Tensor[], masks: (Tensor | null)[]): (Tensor | null)[] {
    if (masks.every((m) => m === null)) return [null];
    const full = inputs.map((x, i) => {
      const m = masks[i] ?? null;
      if (m === null) return ops.ones(x.shape);
      const f = ops.cast(m, 'float32');
      return f.rank < x.rank ? ops.broadcastTo(ops.expandDims(f, -1), x.shape) : f;
    });
    return [ops.greater(ops.max(ops.concat(full, this.axis), -1), 0)];
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    this.checkInputs(inputShapes);
    const rank = (inputShapes[0] as SymbolicShape).length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const bad = (): Error =>
      new Error(
        `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=${shapeList(inputShapes)}`,
      );
    if (axis < 0 || axis >= rank || inputShapes.some((s) => s.length !== rank)) throw bad();
    const out = (inputShapes[0] as SymbolicShape).slice();
    for (const s of inputShapes.slice(1)) {
      for (let i = 0; i < rank; i++) {
        if (i === axis) continue;
        const a = out[i];
        const b = s[i];
        if (a !== null && a !== undefined && b !== null && b !== undefined && a !== b) throw bad();
        if (a === null || a === undefined) out[i] = b ?? null;
      }
    }
    const sizes = inputShapes.map((s) => s[axis]);
    out[axis] = sizes.some((d) => d === null || d === undefined) ? null : (sizes as number[]).reduce((x, y) => x + y, 0);
    return [out];
  }

  protected merge(inputs: Tensor[]): Tensor {
    return ops.concat(inputs, this.axis < 0 ? (inputs[0] as Tensor).rank + this.axis : this.axis);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), axis: this.axis };
  }

  static override fromConfig(config: ConfigDict): Concatenate {
    const owner = 'Concatenate.fromConfig';
    return new Concatenate({ ...Merge.argsFrom(config, owner), axis: configNumber(config, 'axis', owner, -1) });
  }
}
