import { zeros } from '../ops/creation.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { backward } from './backward.js';
import { recordGradients } from './record.js';

/** A leaf sharing x's storage that the autograd differentiates with respect to. */
function watch(x: Tensor, fn: string): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`${fn}: expected Tensor arguments, received ${typeof x}.`);
  if (x.dtype !== 'float32')
    throw new Error(`${fn}: can only differentiate with respect to float32 tensors, received ${x.dtype}.`);
  const leaf = x.detach();
  leaf.requiresGrad = true;
  return leaf;
}

/**
 * Runs f as a gradient scope (record.ts: ops record only while f runs, so f computes its result
 * synchronously) and checks that it returned a Tensor, a scalar when dy is not given.
 */
function recordOutput(fn: string, dy: Tensor | undefined, f: () => unknown): Tensor {
  const y = recordGradients(f);
  if (!(y instanceof Tensor)) throw new Error(`${fn}: f must return a Tensor.`);
  if (dy === undefined && y.size !== 1) {
    throw new Error(`${fn}: f must return a scalar when dy is not given; it returned shape ${formatShape(y.shape)}.`);
  }
  return y;
}

function orZeros(g: Tensor | null, like: Tensor): Tensor {
  return g ?? zeros(like.shape);
}

/** Gradient of f at x: `grad(f)(x)`; f returns a scalar (or pass dy). */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const leaf = watch(x, 'grad');
    const y = recordOutput('grad', dy, () => f(leaf));
    return orZeros(backward(y, [leaf], dy)[0] ?? null, x);
  };
}

/** Gradients of f with respect to each argument: `grads(f)([x1, x2])`. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: readonly Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => valueAndGrads(f)(xs, dy).grads;
}

export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const leaf = watch(x, 'valueAndGrad');
    const y = recordOutput('valueAndGrad', dy, () => f(leaf));
    return { value: y.detach(), grad: orZeros(backward(y, [leaf], dy)[0] ?? null, x) };
  };
}

export function valueAndGrads(
  f: (...xs: Tensor[]) => Tensor,
): (xs: readonly Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new Error('valueAndGrads: pass the arguments as an array, e.g. valueAndGrads(f)([x1, x2]).');
    const leaves = xs.map((x) => watch(x, 'valueAndGrads'));
    const y = recordOutput('valueAndGrads', dy, () => f(...leaves));
    const gs = backward(y, leaves, dy);
    return { value: y.detach(), grads: gs.map((g, i) => orZeros(g ?? null, xs[i] as Tensor)) };
  };
}

/**
 * Gradients of a scalar loss with respect to variables (trainable Variables by default are
 * leaves that require grad). Used by training: `variableGrads(() => loss, vars)`. Pass the
 * variables as a function (`() => model.trainableWeights`) to read them after f has run, as
 * Keras's `tape.gradient(loss, model.trainable_weights)` does: a model's first call creates them.
 */
export function variableGrads(
  f: () => Tensor,
  variables: readonly Tensor[] | (() => readonly Tensor[]),
): { value: Tensor; grads: (Tensor | null)[] } {
  const y = recordOutput('variableGrads', undefined, f);
  return { value: y.detach(), grads: backward(y, typeof variables === 'function' ? variables() : variables) };
}
