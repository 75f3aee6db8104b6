/**
 * Dot (Keras's): the batchwise dot product of two tensors along one axis of each (Keras's
 * `batch_dot`), optionally of their L2-normalized forms (cosine proximity).
 */
import * as ops from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { ConfigDict } from '../engine/config.js';
import { baseArgsFromConfig, type CallArgs, Layer, type LayerArgs } from '../engine/layer.js';
import { formatPythonShape, type SymbolicShape } from '../engine/symbolic.js';

export interface DotArgs extends LayerArgs {
  normalize?: boolean;
}

export class Dot extends Layer {
  static override readonly className: string = 'Dot';
  protected override readonly expectsList = true;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(axes: number | readonly [number, number], args: DotArgs = {}) {
    super(args);
    const ok = (a: unknown): boolean => Number.isInteger(a);
    if (!(ok(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(ok)))) {
      throw new Error(
        `Dot: invalid type for argument \`axes\`: it should be an int or a list of 2 ints. Received: axes=${JSON.stringify(axes)}`,
      );
    }
    this.axes = typeof axes === 'number' ? axes : [axes[0], axes[1]];
    this.normalize = args.normalize ?? false;
  }

  /** The two reduced axes, made non-negative, after checking the inputs as Keras does. */
  private resolveAxes(shapes: SymbolicShape[]): [number, number] {
    if (shapes.length !== 2) {
      throw new Error(
        `Dot "${this.name}": a \`Dot\` layer should be called on a list of 2 inputs. Received: ${shapes.length} inputs.`,
      );
    }
    const [a, b] = shapes as [SymbolicShape, SymbolicShape];
    if (a.length < 2 || b.length < 2) {
      throw new Error(
        `Dot "${this.name}": inputs must have a batch axis and at least one more. Received shapes ${formatPythonShape(a)} and ${formatPythonShape(b)}.`,
      );
    }
    const given = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    const axes = [0, 1].map((i) => {
      const rank = (i === 0 ? a : b).length;
      const ax = given[i] as number;
      const r = ax < 0 ? ax + rank : ax;
      if (r < 1 || r >= rank) {
        throw new Error(
          `Dot "${this.name}": axis ${ax} is out of range for input ${i} of shape ${formatPythonShape(i === 0 ? a : b)} (the batch axis cannot be reduced).`,
        );
      }
      return r;
    }) as [number, number];
    const da = a[axes[0]];
    const db = b[axes[1]];
    if (da !== null && db !== null && da !== undefined && db !== undefined && da !== db) {
      throw new Error(
        `Dot "${this.name}": incompatible input shapes: axis values ${da} (at axis ${axes[0]}) != ${db} (at axis ${axes[1]}). ` +
          `Full input shapes: ${formatPythonShape(a)}, ${formatPythonShape(b)}`,
      );
    }
    return axes;
  }

  override buildMulti(inputShapes: SymbolicShape[]): void {
    this.resolveAxes(inputShapes);
  }

  override computeOutputShapeMulti(inputShapes: SymbolicShape[]): SymbolicShape[] {
    const [a1, a2] = this.resolveAxes(inputShapes);
    const [a, b] = inputShapes as [SymbolicShape, SymbolicShape];
    const rest = [...a.slice(1).filter((_, i) => i + 1 !== a1), ...b.slice(1).filter((_, i) => i + 1 !== a2)];
    return [[a[0] ?? b[0] ?? null, ...(rest.length === 0 ? [1] : rest)]];
  }

  override callMulti(inputs: Tensor[], _args: CallArgs): Tensor[] {
    const [a1, a2] = this.resolveAxes(inputs.map((t) => t.shape));
    let [x, y] = inputs as [Tensor, Tensor];
    if (this.normalize) {
      x = ops.l2Normalize(x, a1);
      y = ops.l2Normalize(y, a2);
    }
    const batch = x.shape[0] as number;
    // x with the reduced axis last, [B, R1, K]; y with it first after the batch, [B, K, R2].
    const xPerm = [...x.shape.keys()].filter((i) => i !== a1).concat([a1]);
    const yPerm = [0, a2, ...[...y.shape.keys()].filter((i) => i !== 0 && i !== a2)];
    const restX = xPerm.slice(1, -1).map((i) => x.shape[i] as number);
    const restY = yPerm.slice(2).map((i) => y.shape[i] as number);
    const k = x.shape[a1] as number;
    const xm = ops.reshape(ops.transpose(x, xPerm), [batch, -1, k]);
    const ym = ops.reshape(ops.transpose(y, yPerm), [batch, k, -1]);
    const out = ops.matmul(xm, ym);
    const rest = [...restX, ...restY];
    return [ops.reshape(out, [batch, ...(rest.length === 0 ? [1] : rest)])];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      axes: typeof this.axes === 'number' ? this.axes : this.axes.slice(),
      normalize: this.normalize,
    };
  }

  static override fromConfig(config: ConfigDict): Dot {
    const owner = 'Dot.fromConfig';
    return new Dot(config.axes as number | [number, number], {
      ...baseArgsFromConfig(config, owner),
      normalize: config.normalize === true,
    });
  }
}
