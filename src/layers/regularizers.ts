/**
 * Weight and activity regularizers (Keras's L1, L2, L1L2). `apply(x)` returns a scalar loss
 * built from differentiable ops, so training adds it to the loss and gets its gradient.
 */
import { add, mul } from '../ops/arithmetic.js';
import { sum } from '../ops/reduce.js';
import { abs, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import { type ConfigDict, type ConfigValue, isConfigDict, type SerializedObject } from './engine/config.js';

export abstract class Regularizer {
  abstract readonly className: string;
  abstract apply(x: Tensor): Tensor;
  abstract getConfig(): ConfigDict;
}

/** l1 * sum(|x|) + l2 * sum(x^2); terms with a zero factor are skipped. */
export class L1L2 extends Regularizer {
  readonly className: string = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor(args: { l1?: number; l2?: number } = {}) {
    super();
    this.l1 = args.l1 ?? 0;
    this.l2 = args.l2 ?? 0;
    for (const [k, v] of [
      ['l1', this.l1],
      ['l2', this.l2],
    ] as const) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`${this.className}: '${k}' must be a finite number >= 0, received ${v}.`);
    }
  }

  apply(x: Tensor): Tensor {
    const terms: Tensor[] = [];
    if (this.l1) terms.push(mul(sum(abs(x)), this.l1));
    if (this.l2) terms.push(mul(sum(square(x)), this.l2));
    if (terms.length === 0) return mul(sum(x), 0);
    return terms.length === 1 ? (terms[0] as Tensor) : add(terms[0] as Tensor, terms[1] as Tensor);
  }

  getConfig(): ConfigDict {
    return { l1: this.l1, l2: this.l2 };
  }
}

export class L1 extends L1L2 {
  override readonly className = 'L1';
  constructor(args: { l1?: number } = {}) {
    super({ l1: args.l1 ?? 0.01 });
  }
  override getConfig(): ConfigDict {
    return { l1: this.l1 };
  }
}

export class L2 extends L1L2 {
  override readonly className = 'L2';
  constructor(args: { l2?: number } = {}) {
    super({ l2: args.l2 ?? 0.01 });
  }
  override getConfig(): ConfigDict {
    return { l2: this.l2 };
  }
}

/** Keras's helpers: `regularizers.l2(0.01)` etc. */
export const l1 = (factor = 0.01): L1 => new L1({ l1: factor });
export const l2 = (factor = 0.01): L2 => new L2({ l2: factor });
export const l1l2 = (args: { l1?: number; l2?: number } = { l1: 0.01, l2: 0.01 }): L1L2 => new L1L2(args);

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1_l2' | Regularizer | SerializedObject;

export function getRegularizer(identifier: RegularizerIdentifier | ConfigValue | undefined): Regularizer | null {
  if (identifier === undefined || identifier === null) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (identifier === 'l1' || identifier === 'L1') return new L1();
  if (identifier === 'l2' || identifier === 'L2') return new L2();
  if (identifier === 'l1_l2' || identifier === 'L1L2') return new L1L2({ l1: 0.01, l2: 0.01 });
  if (isConfigDict(identifier) && typeof identifier.class_name === 'string') {
    const c = isConfigDict(identifier.config) ? identifier.config : {};
    const n = (k: string): number | undefined => (typeof c[k] === 'number' ? (c[k] as number) : undefined);
    switch (identifier.class_name) {
      case 'L1':
        return new L1({ l1: n('l1') });
      case 'L2':
        return new L2({ l2: n('l2') });
      case 'L1L2':
        return new L1L2({ l1: n('l1'), l2: n('l2') });
      default:
        throw new Error(`Unknown regularizer class: '${identifier.class_name}'. Known: L1, L2, L1L2.`);
    }
  }
  throw new Error(
    `Could not interpret regularizer identifier: ${JSON.stringify(identifier)}. Use 'l1', 'l2', 'l1_l2' or a Regularizer.`,
  );
}

export function serializeRegularizer(r: Regularizer | null): SerializedObject | null {
  return r ? { module: 'keras.regularizers', class_name: r.className, config: r.getConfig(), registered_name: null } : null;
}
