/**
 * EinsumDense (Keras's): a dense layer whose product is an einsum equation `input,kernel->output`,
 * e.g. "abc,cde->abde" projects [batch, steps, features] to [batch, steps, heads, size] (the
 * projections of MultiHeadAttention). The kernel's axes take their sizes from the input or from
 * `outputShape`; `biasAxes` names the output axes the bias spans. Computed as one (batched)
 * matmul between transposed, reshaped operands, so the autograd and the GEMM kernel do the work.
 */
import * as ops from '../../ops/index.js';
import type { Tensor, Variable } from '../../tensor/tensor.js';
import {
  type ActivationFunction,
  type ActivationIdentifier,
  activationFromConfig,
  getActivation,
} from '../activations/functions.js';
import type { Constraint } from '../constraints.js';
import {
  type ConstraintArg,
  constraintArg,
  type InitializerArg,
  initializerArg,
  type RegularizerArg,
  regularizerArg,
  serializeConstr,
  serializeInit,
  serializeReg,
} from '../engine/arguments.js';
import { type ConfigDict, configString } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';
import type { Initializer } from '../initializers/index.js';
import type { Regularizer } from '../regularizers.js';

export interface EinsumDenseArgs extends LayerArgs {
  activation?: ActivationIdentifier | ActivationFunction | null;
  /** Output axes (letters of the output spec) the bias spans; none by default. */
  biasAxes?: string | null;
  kernelInitializer?: InitializerArg;
  biasInitializer?: InitializerArg;
  kernelRegularizer?: RegularizerArg;
  biasRegularizer?: RegularizerArg;
  activityRegularizer?: RegularizerArg;
  kernelConstraint?: ConstraintArg;
  biasConstraint?: ConstraintArg;
}

/** The three specs of an equation with its ellipsis (if any) expanded for an input of `rank`. */
interface Specs {
  input: string;
  kernel: string;
  output: string;
}

const EQUATION = /^([a-zA-Z]+|\.\.\.[a-zA-Z]*|[a-zA-Z]+\.\.\.),([a-zA-Z]+)->([a-zA-Z]+|\.\.\.[a-zA-Z]*|[a-zA-Z]+\.\.\.)$/;

/** The equation's three specs, or a syntax error naming the owner. */
function matchEquation(equation: string, owner: string): RegExpExecArray {
  const m = EQUATION.exec(equation.replace(/\s+/g, ''));
  if (!m) {
    throw new Error(
      `${owner}: invalid einsum equation ${JSON.stringify(equation)}. Equations must be in the form "ab,bc->ac", "...ab,bc->...ac" or "ab...,bc->ac...".`,
    );
  }
  return m;
}

/** Parses `equation` for an input of `rank`: an ellipsis stands for the same leading/trailing axes on both sides. */
function parseEquation(equation: string, rank: number, owner: string): Specs {
  const m = matchEquation(equation, owner);
  let [input, kernel, output] = [m[1] as string, m[2] as string, m[3] as string];
  if (input.includes('...') !== output.includes('...')) {
    throw new Error(`${owner}: the ellipsis of ${JSON.stringify(equation)} must appear in both the input and the output.`);
  }
  if (input.includes('...')) {
    const named = input.replace('...', '');
    const count = rank - named.length;
    if (count < 0)
      throw new Error(
        `${owner}: the equation ${JSON.stringify(equation)} needs inputs of rank >= ${named.length}, received rank ${rank}.`,
      );
    const used = new Set(`${input}${kernel}${output}`);
    const free = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ']
      .filter((c) => !used.has(c))
      .slice(0, count)
      .join('');
    input = input.replace('...', free);
    output = output.replace('...', free);
  }
  if (input.length !== rank) {
    throw new Error(
      `${owner}: the equation ${JSON.stringify(equation)} expects inputs of rank ${input.length}, received rank ${rank}.`,
    );
  }
  for (const c of output) {
    if (!input.includes(c) && !kernel.includes(c)) {
      throw new Error(`${owner}: output dimension ${c} of ${JSON.stringify(equation)} is in neither the input nor the kernel.`);
    }
  }
  return { input, kernel, output };
}

export class EinsumDense extends Layer {
  static override readonly className: string = 'EinsumDense';
  readonly equation: string;
  /** Keras's `partial_output_shape`: the output shape without the batch axis (null for unknown). */
  readonly partialOutputShape: (number | null)[];
  readonly activation: ActivationFunction;
  readonly biasAxes: string | null;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly kernelConstraint: Constraint | null;
  readonly biasConstraint: Constraint | null;
  kernel: Variable | null = null;
  bias: Variable | null = null;
  private specs: Specs | null = null;

  constructor(equation: string, outputShape: number | readonly (number | null)[], args: EinsumDenseArgs = {}) {
    super(args);
    if (typeof equation !== 'string')
      throw new Error(`EinsumDense: \`equation\` must be a string, received ${JSON.stringify(equation)}.`);
    matchEquation(equation, 'EinsumDense');
    this.equation = equation;
    this.partialOutputShape = typeof outputShape === 'number' ? [outputShape] : [...outputShape];
    this.activation = getActivation(args.activation);
    this.biasAxes = args.biasAxes ?? null;
    this.kernelInitializer = initializerArg(args.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = initializerArg(args.biasInitializer, 'zeros');
    this.kernelRegularizer = regularizerArg(args.kernelRegularizer);
    this.biasRegularizer = regularizerArg(args.biasRegularizer);
    this.activityRegularizer = regularizerArg(args.activityRegularizer);
    this.kernelConstraint = constraintArg(args.kernelConstraint);
    this.biasConstraint = constraintArg(args.biasConstraint);
  }

  /** Sizes of every letter, from the input shape and the declared output shape (Keras's `_analyze_split_string`). */
  private analyze(inputShape: SymbolicShape): { specs: Specs; size: Map<string, number | null>; output: SymbolicShape } {
    const owner = `EinsumDense "${this.name}"`;
    const specs = parseEquation(this.equation, inputShape.length, owner);
    const size = new Map<string, number | null>([...specs.input].map((c, i) => [c, inputShape[i] ?? null]));
    // The declared shape covers the output axes after the batch axis (or after the elided ones).
    const declared = this.partialOutputShape;
    const offset = specs.output.length - declared.length;
    if (offset < 0) {
      throw new Error(`${owner}: output_shape ${JSON.stringify(declared)} has more axes than the output spec "${specs.output}".`);
    }
    [...specs.output].forEach((c, i) => {
      if (i < offset) return;
      const d = declared[i - offset] ?? null;
      const known = size.get(c);
      if (known !== undefined && known !== null && d !== null && known !== d) {
        throw new Error(
          `${owner}: input shape and output shape do not match at shared dimension '${c}'. Input shape is ${known}, and output shape is ${d}.`,
        );
      }
      if (known === undefined || known === null) size.set(c, d);
    });
    for (const c of specs.kernel) {
      const d = size.get(c);
      if (d === undefined || d === null) {
        throw new Error(
          `${owner}: the size of kernel dimension '${c}' of "${this.equation}" is unknown for input shape ${formatPythonShape(inputShape)} and output_shape ${JSON.stringify(declared)}.`,
        );
      }
    }
    return { specs, size, output: [...specs.output].map((c) => size.get(c) ?? null) };
  }

  override build(inputShape: SymbolicShape): void {
    const { specs, size } = this.analyze(inputShape);
    this.specs = specs;
    this.kernel = this.addWeight('kernel', {
      shape: [...specs.kernel].map((c) => size.get(c) as number),
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    if (this.biasAxes) {
      for (const c of this.biasAxes) {
        if (!specs.output.includes(c)) {
          throw new Error(
            `EinsumDense "${this.name}": bias dimension ${c} was requested, but is not part of the output spec ${specs.output}`,
          );
        }
      }
      const first = Math.min(...[...this.biasAxes].map((c) => specs.output.indexOf(c)));
      const shape = [...specs.output.slice(first)].map((c) => (this.biasAxes?.includes(c) ? (size.get(c) as number) : 1));
      this.bias = this.addWeight('bias', {
        shape,
        initializer: this.biasInitializer,
        regularizer: this.biasRegularizer,
        constraint: this.biasConstraint,
      });
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.analyze(inputShape).output;
  }

  override call(input: Tensor, _args: CallArgs): Tensor {
    const specs = this.specs as Specs;
    const kernel = this.kernel as Variable;
    let y = einsumProduct(specs, input, kernel);
    if (this.bias) y = ops.add(y, this.bias);
    return this.activation.apply(y);
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      output_shape: this.partialOutputShape.slice(),
      equation: this.equation,
      activation: this.activation.name,
      bias_axes: this.biasAxes,
      kernel_initializer: serializeInit(this.kernelInitializer),
      bias_initializer: serializeInit(this.biasInitializer),
      kernel_regularizer: serializeReg(this.kernelRegularizer),
      bias_regularizer: serializeReg(this.biasRegularizer),
      activity_regularizer: serializeReg(this.activityRegularizer),
      kernel_constraint: serializeConstr(this.kernelConstraint),
      bias_constraint: serializeConstr(this.biasConstraint),
    };
  }

  static override fromConfig(config: ConfigDict): EinsumDense {
    const owner = 'EinsumDense.fromConfig';
    const shape = config.output_shape;
    if (!(typeof shape === 'number' || (Array.isArray(shape) && shape.every((d) => typeof d === 'number' || d === null)))) {
      throw new Error(`${owner}: config field 'output_shape' must be a shape, received ${JSON.stringify(shape)}.`);
    }
    return new EinsumDense(configString(config, 'equation', owner), shape as number | (number | null)[], {
      ...baseArgsFromConfig(config, owner),
      activation: activationFromConfig(config.activation, owner),
      biasAxes: (config.bias_axes as string | null | undefined) ?? null,
      kernelInitializer: (config.kernel_initializer as InitializerArg | null) ?? undefined,
      biasInitializer: (config.bias_initializer as InitializerArg | null) ?? undefined,
      kernelRegularizer: config.kernel_regularizer as RegularizerArg,
      biasRegularizer: config.bias_regularizer as RegularizerArg,
      activityRegularizer: config.activity_regularizer as RegularizerArg,
      kernelConstraint: config.kernel_constraint as ConstraintArg,
      biasConstraint: config.bias_constraint as ConstraintArg,
    });
  }
}

/**
 * einsum(`input,kernel->output`) as a matmul: letters in all three are batch axes, letters in
 * input and kernel only are contracted, the rest are free. x becomes [batch, freeX, contracted],
 * the kernel [batch, contracted, freeK], and the product is reshaped and transposed to the output.
 */
function einsumProduct(specs: Specs, x: Tensor, kernel: Tensor): Tensor {
  const { input, kernel: ks, output } = specs;
  const batch = [...input].filter((c) => ks.includes(c) && output.includes(c));
  const contracted = [...input].filter((c) => ks.includes(c) && !output.includes(c));
  const freeX = [...input].filter((c) => !ks.includes(c));
  const freeK = [...ks].filter((c) => !input.includes(c));
  const dim = new Map<string, number>([
    ...[...input].map((c, i): [string, number] => [c, x.shape[i] as number]),
    ...[...ks].map((c, i): [string, number] => [c, kernel.shape[i] as number]),
  ]);
  const prod = (cs: string[]): number => cs.reduce((n, c) => n * (dim.get(c) as number), 1);
  const xm = ops.reshape(
    permute(
      x,
      [...batch, ...freeX, ...contracted].map((c) => input.indexOf(c)),
    ),
    [prod(batch), prod(freeX), prod(contracted)],
  );
  const km = ops.reshape(
    permute(
      kernel,
      [...batch, ...contracted, ...freeK].map((c) => ks.indexOf(c)),
    ),
    [prod(batch), prod(contracted), prod(freeK)],
  );
  const order = [...batch, ...freeX, ...freeK];
  const y = ops.reshape(
    ops.matmul(xm, km),
    order.map((c) => dim.get(c) as number),
  );
  return permute(
    y,
    [...output].map((c) => order.indexOf(c)),
  );
}

/** transpose, skipped when the permutation keeps every axis in place (no copy). */
function permute(x: Tensor, perm: number[]): Tensor {
  return perm.every((p, i) => p === i) ? x : ops.transpose(x, perm);
}
