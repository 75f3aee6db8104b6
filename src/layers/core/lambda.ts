/**
 * Lambda: a layer made of a TypeScript function (`new layers.Lambda((x) => ops.mul(x, 2))`).
 * Its config names the function (`registered_name`), never its code: a Lambda saved in a file
 * loads only when the function is registered under that name with `registerKerasSerializable`,
 * and loading refuses it otherwise, saying which name to register. Nothing from a file is run.
 */
import type { Tensor } from '../../tensor/tensor.js';
import { type ConfigDict, type ConfigValue, isConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import type { SymbolicShape } from '../engine/symbolic.js';
import { registeredFunction, registeredNameOf } from '../registry.js';

export type LambdaFunction = (inputs: Tensor | Tensor[], args: Readonly<Record<string, ConfigValue>>) => Tensor;

export interface LambdaArgs extends LayerArgs {
  /** Output shape without the batch axis; inferred by running the function when omitted. */
  outputShape?: readonly (number | null)[];
  /** Extra keyword arguments passed to the function (Keras's `arguments`). */
  arguments?: Readonly<Record<string, ConfigValue>>;
}

/** The `package>name` an unregistered function would be registered under. */
function suggestedName(fn: LambdaFunction): string {
  return `Custom>${fn.name || 'lambda_function'}`;
}

export class Lambda extends Layer {
  static override readonly className: string = 'Lambda';
  readonly fn: LambdaFunction;
  readonly outputShapeArg: (number | null)[] | null;
  readonly fnArguments: Readonly<Record<string, ConfigValue>>;
  protected override readonly expectsList: boolean = false;

  constructor(fn: LambdaFunction, args: LambdaArgs = {}) {
    super(args);
    if (typeof fn !== 'function') {
      throw new Error(`Lambda "${this.name}": the first argument must be a function, e.g. new Lambda((x) => ops.mul(x, 2)).`);
    }
    this.fn = fn;
    this.outputShapeArg = args.outputShape ? args.outputShape.slice() : null;
    this.fnArguments = args.arguments ?? {};
  }

  override callMulti(inputs: Tensor[], _args: CallArgs): Tensor[] {
    return [this.fn(inputs.length === 1 ? (inputs[0] as Tensor) : inputs, this.fnArguments)];
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    if (this.outputShapeArg) return [[inputShapes[0]?.[0] ?? null, ...this.outputShapeArg]];
    return this.inferOutputShapes(inputShapes);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.single(this.computeOutputShapeMulti([inputShape]), 'computeOutputShape');
  }

  override getConfig(): ConfigDict {
    const name = registeredNameOf(this.fn) ?? suggestedName(this.fn);
    return {
      ...super.getConfig(),
      // the name twice: Keras 2 layouts (.h5, TensorFlow.js) drop `registered_name`
      function: { module: null, class_name: 'function', config: name, registered_name: name },
      output_shape: this.outputShapeArg,
      arguments: { ...this.fnArguments },
    };
  }

  static override fromConfig(config: ConfigDict): Lambda {
    const owner = `Lambda layer "${String(config.name ?? 'lambda')}"`;
    const spec = config.function;
    const key = functionName(spec);
    const fn = key !== null && key.includes('>') ? registeredFunction(key) : null;
    if (!fn) {
      const [pkg, name] = key?.includes('>') ? key.split('>') : ['Custom', 'myFunction'];
      const what = key?.includes('>') ? `the function '${key}'` : 'a function saved as code (a Python lambda or bytecode)';
      throw new Error(
        `${owner} calls ${what}, which is not registered. capa never evaluates code from a file: define the function in TypeScript and register it before loading, ` +
          `registerKerasSerializable(${name}, { package: '${pkg}', name: '${name}' }).`,
      );
    }
    const shape = config.output_shape;
    const args = config.arguments;
    return new Lambda(fn as LambdaFunction, {
      ...baseArgsFromConfig(config, owner),
      outputShape: Array.isArray(shape) ? (shape as (number | null)[]) : undefined,
      arguments: isConfigDict(args) ? args : undefined,
    });
  }
}

/** The `package>name` a Lambda config names its function by, or null (code, or nothing). */
export function functionName(spec: ConfigValue | undefined): string | null {
  if (!isConfigDict(spec) || spec.class_name !== 'function') return null;
  for (const key of [spec.registered_name, spec.config]) if (typeof key === 'string' && key.includes('>')) return key;
  return null;
}
